package org.higgsnarrator.ui;

import com.google.gson.JsonParseException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.higgsnarrator.project.ProjectStore;
import org.higgsnarrator.runtime.Device;
import org.higgsnarrator.ui.service.RemoteServer;

/**
 * Per-user studio settings (not per project): model package, device, threads and recent projects.
 * Stored as JSON in {@link #defaultFile()}. Precision is not a setting: it belongs to the package (chosen when the
 * checkpoint is converted); settings files of older versions that carry a "precision" field still load.
 *
 * @param modelPackage folder of the model package; null = the bundled tiny package
 * @param device       auto, cpu or cuda
 * @param threads      0 = runtime default
 * @param segmentsAtOnce segments decoded together on this computer, 0 = as the model proposes ({@code ModelChoice})
 * @param recent       recently opened project files, most recent first
 * @param servers      render servers (Settings → Render servers), in the order added; their keys are in this file
 *                     (written owner-only where the file system allows) and never in logs ({@link RemoteServer#toString})
 */
public record AppSettings(String modelPackage, Device device, int threads, List<String> recent, List<RemoteServer> servers, int segmentsAtOnce) {
    public static final int MAX_RECENT = 10;

    public AppSettings {
        device = device == null ? Device.AUTO : device;
        recent = recent == null ? List.of() : List.copyOf(recent);
        servers = servers == null ? List.of() : List.copyOf(servers);
    }

    public AppSettings(String modelPackage, Device device, int threads, List<String> recent) {
        this(modelPackage, device, threads, recent, List.of(), 0);
    }

    public AppSettings withServers(List<RemoteServer> servers) {
        return new AppSettings(modelPackage, device, threads, recent, servers, segmentsAtOnce);
    }

    public static AppSettings defaults() {
        return new AppSettings(null, Device.AUTO, 0, List.of());
    }

    /** Moves {@code file} to the front of the recent list. */
    public AppSettings withRecent(Path file) {
        String f = file.toAbsolutePath().normalize().toString();
        List<String> r = new ArrayList<>(recent);
        r.remove(f);
        r.addFirst(f);
        while (r.size() > MAX_RECENT) r.removeLast();
        return new AppSettings(modelPackage, device, threads, r, servers, segmentsAtOnce);
    }

    public AppSettings withModel(String modelPackage, Device device, int threads, int segmentsAtOnce) {
        return new AppSettings(modelPackage, device, threads, recent, servers, segmentsAtOnce);
    }

    /** {@code -Dnarrator.config.dir}, else {@code $XDG_CONFIG_HOME/higgs-narrator}, else ~/.config/higgs-narrator. */
    public static Path defaultFile() {
        String dir = System.getProperty("narrator.config.dir");
        if (dir == null) {
            String xdg = System.getenv("XDG_CONFIG_HOME");
            Path base = xdg != null && !xdg.isBlank() ? Path.of(xdg) : Path.of(System.getProperty("user.home"), ".config");
            return base.resolve("higgs-narrator").resolve("settings.json");
        }
        return Path.of(dir).resolve("settings.json");
    }

    /** Missing or unreadable file → defaults (a broken settings file must not keep the studio from starting). */
    public static AppSettings load(Path file) {
        if (!Files.isRegularFile(file)) return defaults();
        try {
            AppSettings s = ProjectStore.GSON.fromJson(Files.readString(file, StandardCharsets.UTF_8), AppSettings.class);
            return s == null ? defaults() : s;
        } catch (IOException | RuntimeException e) { // JsonParseException, or a value a record refuses (a server without a URL)
            System.err.println("studio: ignoring unreadable settings " + file + ": " + (e instanceof JsonParseException ? org.higgsnarrator.io.JsonProblems.describe(e) : e.getMessage()));
            return defaults();
        }
    }

    public void save(Path file) throws IOException {
        org.higgsnarrator.io.AtomicFiles.writeString(file, ProjectStore.GSON.toJson(this) + "\n");
        if (servers.stream().anyMatch(RemoteServer::hasKey)) {
            try { // the file holds API keys: readable by its owner only
                Files.setPosixFilePermissions(file, java.nio.file.attribute.PosixFilePermissions.fromString("rw-------"));
            } catch (UnsupportedOperationException e) {
                // not a POSIX file system (Windows): the user's profile folder protects it
            }
        }
    }

    /** The bundled tiny package: {@code <narrator.home>/onnx-models/tiny}. */
    public static Path bundledModel() {
        String home = System.getProperty("narrator.home", System.getProperty("narrator.repo.root", "."));
        return Path.of(home).resolve("onnx-models").resolve("tiny");
    }

    public Path modelPath() {
        return modelPackage == null || modelPackage.isBlank() ? bundledModel() : Path.of(modelPackage);
    }
}
