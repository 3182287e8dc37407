package org.higgsnarrator.ui.view;

import java.io.File;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import javafx.stage.DirectoryChooser;
import javafx.stage.FileChooser;
import javafx.stage.Window;
import org.higgsnarrator.project.Project;
import org.higgsnarrator.ui.service.ExportFormat;

/** {@link Dialogs} with the platform's file choosers. */
public final class FxDialogs implements Dialogs {
    private final Window owner;

    public FxDialogs(Window owner) {
        this.owner = owner;
    }

    private static FileChooser.ExtensionFilter projects() {
        return new FileChooser.ExtensionFilter("Narrator projects (*" + Project.EXTENSION + ")", "*" + Project.EXTENSION);
    }

    @Override
    public Optional<Path> newProjectFile() {
        FileChooser fc = new FileChooser();
        fc.setTitle("Create project");
        fc.getExtensionFilters().add(projects());
        fc.setInitialFileName("My book" + Project.EXTENSION);
        // new projects go to the documents folder, never the program's own folder
        java.nio.file.Path docs = org.higgsnarrator.ui.FirstRun.projectsDir();
        try {
            java.nio.file.Files.createDirectories(docs);
            fc.setInitialDirectory(docs.toFile());
        } catch (java.io.IOException | SecurityException e) {
            fc.setInitialDirectory(org.higgsnarrator.ui.FirstRun.documentsDir().toFile());
        }
        return path(fc.showSaveDialog(owner));
    }

    @Override
    public Optional<Path> openProjectFile() {
        FileChooser fc = new FileChooser();
        fc.setTitle("Open project");
        fc.getExtensionFilters().add(projects());
        return path(fc.showOpenDialog(owner));
    }

    @Override
    public Optional<Path> saveProjectAs() {
        FileChooser fc = new FileChooser();
        fc.setTitle("Save project as");
        fc.getExtensionFilters().add(projects());
        return path(fc.showSaveDialog(owner));
    }

    @Override
    public List<Path> audioFiles() {
        FileChooser fc = new FileChooser();
        fc.setTitle("Clone a voice from a recording");
        fc.getExtensionFilters().add(new FileChooser.ExtensionFilter("Audio (WAV, MP3, FLAC)", "*.wav", "*.mp3", "*.flac"));
        List<File> f = fc.showOpenMultipleDialog(owner);
        return f == null ? List.of() : f.stream().map(File::toPath).toList();
    }

    @Override
    public Optional<Path> exportFile(ExportFormat format, String suggestedName) {
        FileChooser fc = new FileChooser();
        fc.setTitle("Export " + format.label);
        fc.getExtensionFilters().add(new FileChooser.ExtensionFilter(format.label, "*" + format.extension));
        fc.setInitialFileName(suggestedName + format.extension);
        return path(fc.showSaveDialog(owner));
    }

    @Override
    public Optional<Path> modelPackageDir() {
        DirectoryChooser dc = new DirectoryChooser();
        dc.setTitle("Choose a model package folder (with manifest.json)");
        return path(dc.showDialog(owner));
    }

    @Override
    public Optional<Path> folder(String title) {
        DirectoryChooser dc = new DirectoryChooser();
        dc.setTitle(title);
        return path(dc.showDialog(owner));
    }

    @Override
    public Optional<Path> file(String title) {
        FileChooser fc = new FileChooser();
        fc.setTitle(title);
        return path(fc.showOpenDialog(owner));
    }

    private static Optional<Path> path(File f) {
        return Optional.ofNullable(f).map(File::toPath);
    }
}
