package org.higgsnarrator.ui.vm;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import javafx.beans.property.ReadOnlyBooleanProperty;
import javafx.beans.property.ReadOnlyBooleanWrapper;
import javafx.beans.property.ReadOnlyObjectProperty;
import javafx.beans.property.ReadOnlyStringProperty;
import javafx.beans.property.ReadOnlyStringWrapper;
import javafx.beans.property.ReadOnlyObjectWrapper;
import javafx.collections.FXCollections;
import javafx.collections.ObservableList;
import org.higgsnarrator.runtime.Device;
import org.higgsnarrator.ui.AppSettings;
import org.higgsnarrator.ui.concurrent.BackgroundExecutor;
import org.higgsnarrator.ui.service.BackendInfo;
import org.higgsnarrator.ui.service.BasicNarrationService;
import org.higgsnarrator.ui.service.ModelChoice;
import org.higgsnarrator.ui.service.NarrationService;
import org.higgsnarrator.ui.service.RemoteServer;

/**
 * What outlives a project: the loaded model (the backend every render goes to) and the app settings (model choice,
 * recent projects), written to the settings file whenever they change.
 */
public final class SessionViewModel {
    private final ReadOnlyObjectWrapper<BackendInfo> backend = new ReadOnlyObjectWrapper<>();
    private final ReadOnlyObjectWrapper<AppSettings> appSettings = new ReadOnlyObjectWrapper<>();
    private final ObservableList<Path> recent = FXCollections.observableArrayList();
    private final ObservableList<Path> recentView = FXCollections.unmodifiableObservableList(recent);
    private final NarrationService service;
    private final BackgroundExecutor exec;
    private final StatusViewModel status;
    private final Path settingsFile;
    private final ObservableList<RemoteServer> servers = FXCollections.observableArrayList();
    private final ObservableList<RemoteServer> serversView = FXCollections.unmodifiableObservableList(servers);
    private final ReadOnlyStringWrapper serverCheck = new ReadOnlyStringWrapper("");
    private final ReadOnlyBooleanWrapper serverCheckOk = new ReadOnlyBooleanWrapper(false);
    private BackgroundExecutor checks;

    SessionViewModel(NarrationService service, BackgroundExecutor exec, StatusViewModel status, Path settingsFile) {
        this.service = service;
        this.exec = exec;
        this.status = status;
        this.settingsFile = settingsFile;
        backend.set(service.backend());
        AppSettings s = AppSettings.load(settingsFile);
        appSettings.set(s);
        for (String r : s.recent()) recent.add(Path.of(r));
        servers.setAll(s.servers());
    }

    // ---------------------------------------------------------------- render servers

    /** Settings → Render servers, in the order added: the render queue renders on them beside this computer. */
    public ObservableList<RemoteServer> renderServers() {
        return serversView;
    }

    /** The last server check's answer ("OK: … serves 'name' …" or why not); "" before any. */
    public ReadOnlyStringProperty serverCheckProperty() {
        return serverCheck.getReadOnlyProperty();
    }

    /** Whether the last server check passed. */
    public ReadOnlyBooleanProperty serverCheckOkProperty() {
        return serverCheckOk.getReadOnlyProperty();
    }

    /**
     * Adds a render server (saved in the settings at once). False, with the reason in the check line, for an address
     * that is not an http(s) URL or a server already listed.
     */
    public boolean addServer(String url, String apiKey) {
        RemoteServer s;
        try {
            s = service.remoteServer(url, apiKey);
        } catch (IllegalArgumentException e) {
            serverCheckOk.set(false);
            serverCheck.set("Not added: " + e.getMessage());
            return false;
        }
        if (servers.stream().anyMatch(x -> x.url().equals(s.url()))) {
            serverCheckOk.set(false);
            serverCheck.set("Not added: " + s.url() + " is listed already (remove it first to change its key)");
            return false;
        }
        servers.add(s);
        saveServers();
        serverCheckOk.set(true);
        serverCheck.set("Added " + s + ". Test asks it what it serves.");
        status.info("Render server added: " + s);
        return true;
    }

    public void removeServer(RemoteServer s) {
        if (s == null || !servers.remove(s)) return;
        saveServers();
        serverCheckOk.set(true);
        serverCheck.set("Removed " + s.url() + ".");
        status.info("Render server removed: " + s.url());
    }

    /** Asks the server for /health and /v1/models (a real request, off the UI thread); the answer goes to {@link #serverCheckProperty()}. */
    public void checkServer(RemoteServer s) {
        if (s == null) return;
        if (checks == null) checks = exec.another(); // not behind a render on the studio's background thread
        serverCheckOk.set(false);
        serverCheck.set("Testing " + s.url() + "…");
        checks.submit(() -> service.checkServer(s), ok -> {
            serverCheckOk.set(true);
            serverCheck.set(ok);
        }, e -> {
            serverCheckOk.set(false);
            serverCheck.set("Failed: " + StatusViewModel.message(e));
        });
    }

    void close() {
        if (checks != null && checks != exec) checks.close();
    }

    private void saveServers() {
        appSettings.set(appSettings.get().withServers(List.copyOf(servers)));
        persist();
    }

    /** The loaded model (or why there is none); null before the first load finished. */
    public ReadOnlyObjectProperty<BackendInfo> backendProperty() {
        return backend.getReadOnlyProperty();
    }

    public BackendInfo backend() {
        return backend.get();
    }

    public ReadOnlyObjectProperty<AppSettings> appSettingsProperty() {
        return appSettings.getReadOnlyProperty();
    }

    public AppSettings appSettings() {
        return appSettings.get();
    }

    /** Most recent first. */
    public ObservableList<Path> recentProjects() {
        return recentView;
    }

    /** Loads the model package of the choice and remembers the choice (the bundled package is remembered as the default). */
    public void loadModel(ModelChoice choice) {
        status.busy(true);
        status.info("Loading model " + choice.packageDir() + "…");
        exec.submit(() -> service.loadModel(choice), b -> {
            status.busy(false);
            backend.set(b);
            if (b.device() == null && !b.canRender() && !BasicNarrationService.NO_ENGINE.equals(b.cannotRenderReason())) {
                // the manifest read but the engine could not open the package: not remembered, so that a damaged
                // package is not loaded again by every later start (issue 18). A build without the engine loads
                // only manifests; its choice is kept.
                status.error("Model not loaded: " + b.cannotRenderReason());
                return;
            }
            AppSettings s = appSettings.get();
            String pkg = choice.packageDir().toAbsolutePath().normalize().equals(AppSettings.bundledModel().toAbsolutePath().normalize())
                    ? null : choice.packageDir().toString();
            appSettings.set(s.withModel(pkg, choice.device(), choice.threads(), choice.segmentsAtOnce()));
            persist();
            if (b.randomWeights()) {
                status.info("Loaded '" + b.modelName() + "' on " + b.deviceName() + ": a random-weight TEST model — it exercises the pipeline but does not speak. "
                        + "Get the real model: File → Models… (Ctrl+M). " + b.deviceReason());
            } else {
                status.info("Loaded '" + b.modelName() + "' on " + b.deviceName() + ". " + b.deviceReason());
            }
        }, e -> {
            status.busy(false);
            backend.set(BackendInfo.nothingLoaded("Model not loaded: " + StatusViewModel.message(e)));
            status.error("Could not load model: " + StatusViewModel.message(e));
        });
    }

    /** Loads the model of the settings (bundled tiny package unless another was chosen), if it is there. */
    public void loadDefaultModel() {
        ModelChoice choice = currentModelChoice();
        if (org.higgsnarrator.pkg.PackageManifest.isPackage(choice.packageDir())) {
            loadModel(choice);
        } else {
            backend.set(BackendInfo.nothingLoaded("No model package at " + choice.packageDir()
                    + " — choose one in Settings (a folder made by './narrator export')."));
        }
    }

    /** Makes {@code dir} the studio's model (Models dialog), keeping the device and threads of the settings. */
    public void useModelPackage(Path dir) {
        ModelChoice c = currentModelChoice();
        loadModel(new ModelChoice(dir, c.device(), c.threads(), c.segmentsAtOnce()));
    }

    /**
     * The Settings dialog's model fields: loads the package unless it is the one already loaded. False (with the
     * reason in the status line) when the fields do not make a choice.
     */
    public boolean applyModelChoice(String packageDir, Device device, int threads) {
        return applyModelChoice(packageDir, device, threads, currentModelChoice().segmentsAtOnce());
    }

    /** As {@link #applyModelChoice(String, Device, int)}, with the segments decoded together on this computer (0: automatic). */
    public boolean applyModelChoice(String packageDir, Device device, int threads, int segmentsAtOnce) {
        ModelChoice choice;
        try {
            choice = new ModelChoice(Path.of(packageDir.strip()), device, threads, segmentsAtOnce);
        } catch (RuntimeException e) {
            status.error("Settings not applied: " + e.getMessage());
            return false;
        }
        if (!choice.equals(currentModelChoice()) || backend.get() == null || backend.get().packageDir() == null) loadModel(choice);
        return true;
    }

    public ModelChoice currentModelChoice() {
        AppSettings s = appSettings.get();
        return new ModelChoice(s.modelPath(), s.device(), s.threads(), Math.clamp(s.segmentsAtOnce(), 0, ModelChoice.MAX_SEGMENTS_AT_ONCE));
    }

    /** "name/precision" of the loaded model: part of every segment's content hash. */
    String modelId() {
        BackendInfo b = backend.get();
        return b == null ? "" : org.higgsnarrator.render.SegmentPlan.modelId(b);
    }

    /** Null when renders can run; otherwise why not. */
    String cannotRender() {
        BackendInfo b = backend.get();
        if (b == null || !b.canRender()) return "Cannot render: " + (b == null ? "no model loaded" : b.cannotRenderReason());
        return null;
    }

    void rememberRecent(Path file) {
        AppSettings s = appSettings.get().withRecent(file);
        appSettings.set(s);
        recent.setAll(s.recent().stream().map(Path::of).toList());
        persist();
    }

    private void persist() {
        try {
            appSettings.get().save(settingsFile);
        } catch (IOException e) {
            status.error("Could not save settings " + settingsFile + ": " + e.getMessage());
        }
    }
}
