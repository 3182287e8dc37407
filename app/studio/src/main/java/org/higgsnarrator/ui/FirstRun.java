package org.higgsnarrator.ui;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.higgsnarrator.project.Project;
import org.higgsnarrator.project.ProjectStore;

/**
 * What a new user meets: projects live in the documents folder, and the very first start opens a sample project (a
 * short two-voice chapter with a scene) so that Render works at once.
 */
public final class FirstRun {
    private FirstRun() {}

    static final String SAMPLE_SCRIPT = """
            The lighthouse stood alone at the end of the pier, and the keeper climbed its stairs every evening at dusk.

            Mara: Is the lamp ready for tonight?

            Tom: Ready and polished. The storm will not catch us sleeping.

            They watched the first waves break against the rocks, and neither of them said another word.""";

    /**
     * The user's documents folder: {@code -Dnarrator.documents.dir}, else {@code $XDG_DOCUMENTS_DIR}, else
     * ~/Documents when it exists, else the home folder. Never the program's own folder.
     */
    public static Path documentsDir() {
        String p = System.getProperty("narrator.documents.dir");
        if (p != null && !p.isBlank()) return Path.of(p);
        String xdg = System.getenv("XDG_DOCUMENTS_DIR");
        if (xdg != null && !xdg.isBlank() && Files.isDirectory(Path.of(xdg))) return Path.of(xdg);
        Path home = Path.of(System.getProperty("user.home"));
        Path docs = home.resolve("Documents");
        return Files.isDirectory(docs) ? docs : home;
    }

    /** Where new projects are offered: {@code <documents>/Higgs Narrator}. */
    public static Path projectsDir() {
        return documentsDir().resolve("Higgs Narrator");
    }

    /** A first start: no settings file has been written yet. */
    public static boolean isFirstRun(Path settingsFile) {
        return !Files.exists(settingsFile);
    }

    /**
     * Writes the sample project (unless one is already there) and returns its file: two speakers with described
     * voices, a narrator left to the model, a scene, and a short chapter.
     */
    public static Path sampleProject() throws IOException {
        Path file = projectsDir().resolve("Sample" + Project.EXTENSION);
        if (Files.isRegularFile(file)) return file;
        Files.createDirectories(ProjectStore.assetsDir(file));
        Project.Voice mara = Project.Voice.described("Mara", "Female, mid-thirties, warm and calm, clear English.");
        Project.Voice tom = Project.Voice.described("Tom", "Male, older, low and slightly gravelly, measured pace.");
        Project base = Project.create("Sample: The Lighthouse");
        Project p = new Project(Project.FORMAT_VERSION, base.title(),
                List.of(base.speakers().getFirst(), new Project.Speaker(Project.newId(), "Mara", mara.id()),
                        new Project.Speaker(Project.newId(), "Tom", tom.id())),
                List.of(mara, tom),
                List.of(new Project.Chapter(Project.newId(), "The Lighthouse", "Audio is recorded from a quiet room by the sea.", SAMPLE_SCRIPT, List.of())),
                base.settings(), base.book(), base.lexicon());
        ProjectStore.save(p, file);
        return file;
    }
}
