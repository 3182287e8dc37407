package org.higgsnarrator.project;

import com.google.gson.Gson;
import com.google.gson.GsonBuilder;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParseException;
import com.google.gson.JsonParser;
import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;

/**
 * Reads and writes project files. A project {@code book.narrator} keeps its audio in {@code book.assets/} beside it
 * (voices/ and takes/). Writes are atomic: the JSON goes to a temporary file in the same folder which then replaces
 * the project file, so a crash during autosave never leaves a truncated project.
 */
public final class ProjectStore {
    public static final Gson GSON = new GsonBuilder().setPrettyPrinting().disableHtmlEscaping().create();

    private ProjectStore() {}

    public static Project load(Path file) throws IOException {
        JsonElement root;
        try (Reader r = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            root = JsonParser.parseReader(r);
        } catch (NoSuchFileException e) {
            throw new NoSuchFileException(file.toString(), null, "project file not found");
        } catch (JsonParseException e) {
            throw new ProjectFormatException(file, "not valid JSON (" + e.getMessage() + "); restore it from a backup or the .tmp file beside it", e);
        }
        if (!(root instanceof JsonObject obj)) {
            throw new ProjectFormatException(file, "expected a JSON object at the top level", null);
        }
        if (!obj.has("formatVersion")) {
            throw new ProjectFormatException(file, "field 'formatVersion' is missing — is this a Higgs Narrator project?", null);
        }
        int version = obj.get("formatVersion").getAsInt();
        if (version > Project.FORMAT_VERSION) {
            throw new ProjectFormatException(file, "written by a newer Higgs Narrator (format " + version
                    + "); this version reads format " + Project.FORMAT_VERSION + " and older — update the studio", null);
        }
        if (version < 1) throw new ProjectFormatException(file, "field 'formatVersion' must be ≥ 1, got " + version, null);
        try {
            Project p = GSON.fromJson(obj, Project.class);
            return new Project(Project.FORMAT_VERSION, p.title(), p.speakers(), p.voices(), p.chapters(), p.settings(), p.book(), p.lexicon());
        } catch (RuntimeException e) {
            Throwable cause = e;
            while (cause.getCause() != null) cause = cause.getCause();
            String why = cause == e ? e.getMessage() : e.getMessage() + " (" + cause.getMessage() + ")";
            throw new ProjectFormatException(file, "invalid content: " + why + " — fix the field by hand or restore a backup", e);
        }
    }

    public static void save(Project project, Path file) throws IOException {
        org.higgsnarrator.io.AtomicFiles.writeString(file, GSON.toJson(project) + "\n");
    }

    /** {@code book.narrator} → {@code book.assets/} beside it. */
    public static Path assetsDir(Path projectFile) {
        String name = projectFile.getFileName().toString();
        if (name.endsWith(Project.EXTENSION)) name = name.substring(0, name.length() - Project.EXTENSION.length());
        return projectFile.toAbsolutePath().resolveSibling(name + ".assets");
    }

    /** Adds the {@code .narrator} extension when the user typed a name without it. */
    public static Path withExtension(Path file) {
        return file.getFileName().toString().endsWith(Project.EXTENSION) ? file
                : file.resolveSibling(file.getFileName() + Project.EXTENSION);
    }
}
