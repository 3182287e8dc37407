package org.higgsnarrator.ui.vm;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import javafx.beans.binding.Bindings;
import javafx.beans.binding.BooleanBinding;
import javafx.beans.binding.StringBinding;
import javafx.beans.property.ReadOnlyBooleanProperty;
import javafx.beans.property.ReadOnlyBooleanWrapper;
import javafx.beans.property.ReadOnlyObjectProperty;
import javafx.beans.property.ReadOnlyObjectWrapper;
import javafx.beans.property.ReadOnlyStringProperty;
import javafx.beans.property.ReadOnlyStringWrapper;
import javafx.collections.FXCollections;
import javafx.collections.ListChangeListener;
import javafx.collections.ObservableList;
import org.higgsnarrator.project.Project;
import org.higgsnarrator.project.Project.Chapter;
import org.higgsnarrator.project.Project.GenerationSettings;
import org.higgsnarrator.project.ProjectStore;
import org.higgsnarrator.lexicon.LexiconRule;

/**
 * The open project and its chapters: file, title, chapter list and selection, generation settings, unsaved
 * changes; new / open / save / save as / autosave. The cast and voice library are kept by {@link CastViewModel},
 * which registers as a {@link Part} so that it is filled on open and written on save.
 */
public final class ProjectViewModel {
    /** An area that keeps part of what is opened and saved with the project. */
    interface Part {
        /** UI thread, while a project is being shown: changes made here do not mark it unsaved. */
        void load(Project p);

        /** The project with this part's state in it (what save writes). */
        default Project addTo(Project p) {
            return p;
        }

        /** UI thread, once the opened project is shown (chapters, selection, file): what needs the whole project. */
        default void shown() {}
    }

    private final ReadOnlyObjectWrapper<Path> projectFile = new ReadOnlyObjectWrapper<>();
    private final ReadOnlyStringWrapper title = new ReadOnlyStringWrapper("");
    private final ObservableList<ChapterViewModel> chapters = FXCollections.observableArrayList(ChapterViewModel::observables);
    private final ObservableList<ChapterViewModel> chaptersView = FXCollections.unmodifiableObservableList(chapters);
    private final ReadOnlyObjectWrapper<ChapterViewModel> selectedChapter = new ReadOnlyObjectWrapper<>();
    private final ReadOnlyObjectWrapper<GenerationSettings> settings = new ReadOnlyObjectWrapper<>(GenerationSettings.defaults());
    private final ReadOnlyBooleanWrapper dirty = new ReadOnlyBooleanWrapper(false);
    private final BooleanBinding open = projectFile.isNotNull();
    private final StringBinding windowTitle;
    private final List<Part> parts = new ArrayList<>();
    /** What the studio does not edit but must keep when it saves (book metadata of an imported book). */
    private Project.BookInfo book = Project.BookInfo.NONE;
    /** The project's pronunciation rules (Edit → Pronunciation lexicon); a change re-hashes the segments it touches. */
    private final ReadOnlyObjectWrapper<List<LexiconRule>> lexicon = new ReadOnlyObjectWrapper<>(List.of());
    private final StatusViewModel status;
    private final SessionViewModel session;
    private boolean loading;

    public final Command saveCommand = new Command(this::save, open);
    public final Command addChapterCommand = new Command(this::addChapter, open);
    public final Command removeChapterCommand = new Command(() -> removeChapter(selectedChapter.get()), selectedChapter.isNotNull());

    ProjectViewModel(StatusViewModel status, SessionViewModel session) {
        this.status = status;
        this.session = session;
        windowTitle = Bindings.createStringBinding(() -> (dirty.get() ? "• " : "")
                        + (projectFile.get() == null ? "" : (title.get().isBlank() ? projectFile.get().getFileName().toString() : title.get()) + " — ")
                        + "Higgs Narrator Studio", dirty, projectFile, title);
        title.addListener((o, a, b) -> markDirty());
        settings.addListener((o, a, b) -> markDirty());
        lexicon.addListener((o, a, b) -> markDirty());
        chapters.addListener((ListChangeListener<ChapterViewModel>) c -> markDirty());
    }

    void addPart(Part p) {
        parts.add(p);
    }

    public ReadOnlyObjectProperty<Path> projectFileProperty() {
        return projectFile.getReadOnlyProperty();
    }

    public Path projectFile() {
        return projectFile.get();
    }

    public BooleanBinding projectOpenProperty() {
        return open;
    }

    public ReadOnlyStringProperty titleProperty() {
        return title.getReadOnlyProperty();
    }

    public String title() {
        return title.get();
    }

    public ObservableList<ChapterViewModel> chapters() {
        return chaptersView;
    }

    public ReadOnlyObjectProperty<ChapterViewModel> selectedChapterProperty() {
        return selectedChapter.getReadOnlyProperty();
    }

    public ChapterViewModel selectedChapter() {
        return selectedChapter.get();
    }

    public ReadOnlyObjectProperty<GenerationSettings> settingsProperty() {
        return settings.getReadOnlyProperty();
    }

    public GenerationSettings settings() {
        return settings.get();
    }

    public ReadOnlyObjectProperty<List<LexiconRule>> lexiconProperty() {
        return lexicon.getReadOnlyProperty();
    }

    public List<LexiconRule> lexicon() {
        return lexicon.get();
    }

    /** Replaces the project's pronunciation rules (segments whose spoken text they change get new hashes). */
    public void setLexicon(List<LexiconRule> rules) {
        if (rules != null && !rules.equals(lexicon.get())) lexicon.set(List.copyOf(rules));
    }

    public ReadOnlyBooleanProperty dirtyProperty() {
        return dirty.getReadOnlyProperty();
    }

    public boolean isDirty() {
        return dirty.get();
    }

    /** "• Title — Higgs Narrator Studio" (the dot: unsaved changes). */
    public StringBinding windowTitleProperty() {
        return windowTitle;
    }

    /** The project's assets folder (voices, takes), null with no project open. */
    public Path assetsDir() {
        Path f = projectFile.get();
        return f == null ? null : ProjectStore.assetsDir(f);
    }

    // ---------------------------------------------------------------- lifecycle

    /** Creates a project file (and its assets folder) and opens it. */
    public void newProject(Path file, String bookTitle) {
        Path f = ProjectStore.withExtension(file).toAbsolutePath();
        try {
            Project p = Project.create(bookTitle == null || bookTitle.isBlank() ? baseName(f) : bookTitle);
            ProjectStore.save(p, f);
            Files.createDirectories(ProjectStore.assetsDir(f));
            show(p, f);
            status.info("Created " + f.getFileName() + ". Type the script; start a line with 'Name:' or [SPEAKER1] for other speakers.");
        } catch (IOException e) {
            status.error("Could not create " + f + ": " + e.getMessage());
        }
    }

    /**
     * Imports a book (EPUB, DOCX, Markdown, text) as a new project at {@code target} and opens it (File → Import book):
     * the same reader and project layout as {@code ./narrator import}; front and back matter are left out.
     */
    public void importBook(Path bookFile, Path target, org.higgsnarrator.ui.concurrent.BackgroundExecutor exec) {
        Path f = ProjectStore.withExtension(target).toAbsolutePath();
        if (Files.exists(f)) {
            status.error(f.getFileName() + " exists; choose a new project file for the imported book.");
            return;
        }
        status.busy(true);
        status.info("Importing " + bookFile.getFileName() + "…");
        exec.submit(() -> {
            org.higgsnarrator.book.Book b = new org.higgsnarrator.book.BookReader().read(bookFile);
            org.higgsnarrator.project.BookImport.create(b, bookFile, f, false);
            return b;
        }, b -> {
            status.busy(false);
            open(f);
            int skipped = b.chapters().size() - b.narrated(false).size();
            status.info(String.format("Imported \"%s\"%s: %d chapter(s)%s.", b.title(), b.author().isEmpty() ? "" : " by " + b.author(),
                    b.narrated(false).size(), skipped == 0 ? "" : ", " + skipped + " front/back matter section(s) left out"));
        }, e -> {
            status.busy(false);
            status.error("Could not import " + bookFile.getFileName() + ": " + StatusViewModel.message(e));
        });
    }

    public void open(Path file) {
        Path f = file.toAbsolutePath();
        try {
            Project p = ProjectStore.load(f);
            status.info("Opened " + f.getFileName()); // before showing: what the areas say on showing it (interrupted renders) stays
            show(p, f);
        } catch (IOException e) {
            status.error("Could not open project: " + e.getMessage());
        }
    }

    private void show(Project p, Path file) {
        loading = true;
        try {
            for (Part part : parts) part.load(p);
            chapters.setAll(p.chapters().stream().map(ChapterViewModel::new).toList());
            title.set(p.title());
            settings.set(p.settings());
            book = p.book();
            lexicon.set(p.lexicon());
            projectFile.set(file);
            selectedChapter.set(chapters.isEmpty() ? null : chapters.getFirst());
        } finally {
            loading = false;
        }
        dirty.set(false);
        session.rememberRecent(file);
        for (Part part : parts) part.shown();
    }

    /** The project as it is now (what save writes). */
    public Project toProject() {
        Project p = new Project(Project.FORMAT_VERSION, title.get(), List.of(), List.of(),
                chapters.stream().map(ChapterViewModel::toChapter).toList(), settings.get(), book, lexicon.get());
        for (Part part : parts) p = part.addTo(p);
        return p;
    }

    /** Saves now (on the caller's thread: the JSON is small and the write atomic). */
    public boolean save() {
        Path f = projectFile.get();
        if (f == null) return false;
        try {
            ProjectStore.save(toProject(), f);
            dirty.set(false);
            status.info("Saved " + f.getFileName());
            return true;
        } catch (IOException e) {
            status.error("Could not save " + f + ": " + e.getMessage());
            return false;
        }
    }

    /** Saves under a new name; the assets folder is copied along so voices and takes stay with the project. */
    public void saveAs(Path file) {
        Path f = ProjectStore.withExtension(file).toAbsolutePath();
        Path old = projectFile.get();
        try {
            if (old != null && !old.equals(f)) copyTree(ProjectStore.assetsDir(old), ProjectStore.assetsDir(f));
            projectFile.set(f);
            if (save()) session.rememberRecent(f);
        } catch (IOException e) {
            status.error("Could not save as " + f + ": " + e.getMessage());
        }
    }

    /** Called periodically: saves when there are unsaved changes. */
    public boolean autosave() {
        if (!dirty.get() || projectFile.get() == null) return false;
        boolean ok = save();
        if (ok) status.info("Autosaved " + projectFile.get().getFileName());
        return ok;
    }

    // ---------------------------------------------------------------- chapters and settings

    public ChapterViewModel addChapter() {
        ChapterViewModel c = new ChapterViewModel(new Chapter(Project.newId(), "Chapter " + (chapters.size() + 1),
                chapters.isEmpty() ? "" : chapters.getLast().scene.get(), "", List.of()));
        chapters.add(c);
        selectedChapter.set(c);
        return c;
    }

    public void removeChapter(ChapterViewModel c) {
        if (chapters.size() <= 1) {
            status.error("A project keeps at least one chapter.");
            return;
        }
        int i = chapters.indexOf(c);
        chapters.remove(c);
        selectedChapter.set(chapters.get(Math.max(0, i - 1)));
    }

    /** The chapter the editor shows; one of {@link #chapters()} (others are ignored). */
    public void selectChapter(ChapterViewModel c) {
        if (c != null && chapters.contains(c)) selectedChapter.set(c);
    }

    /** Changes the generation settings of the project (every segment's hash follows them). */
    public void setGenerationSettings(GenerationSettings g) {
        if (g != null && !g.equals(settings.get())) settings.set(g);
    }

    /** Null-safe check before a render: a project is open and the loaded model renders; otherwise says why. */
    boolean checkCanRender() {
        if (projectFile.get() == null) {
            status.error("Create or open a project first.");
            return false;
        }
        String why = session.cannotRender();
        if (why != null) {
            status.error(why);
            return false;
        }
        return true;
    }

    /**
     * The Settings dialog's generation fields: the seed as typed, the longest segment in seconds. Values are passed
     * as they are; the engine's rule (GenerationOptions) says what is valid and its message goes to the status line.
     */
    public void applyGenerationSettings(boolean greedy, double temperature, int topK, double topP, int maxSeconds, String seed) {
        GenerationSettings g = settings.get();
        try {
            setGenerationSettings(new GenerationSettings(temperature, topK, topP, g.rasWindow(), g.rasMaxRepeats(), maxSeconds * 25,
                    Long.parseLong(seed.strip()), greedy));
        } catch (RuntimeException e) {
            status.error("Settings not applied: " + e.getMessage());
        }
    }

    void markDirty() {
        if (loading) return;
        dirty.set(true);
        edits.set(edits.get() + 1);
    }

    private final javafx.beans.property.LongProperty edits = new javafx.beans.property.SimpleLongProperty();

    /** Counts edits, so that autosave can wait for a pause in them (see {@code ui.SessionSafety}). */
    public javafx.beans.property.ReadOnlyLongProperty editsProperty() {
        return edits;
    }

    static String baseName(Path p) {
        String n = p.getFileName().toString();
        if (n.endsWith(Project.EXTENSION)) return n.substring(0, n.length() - Project.EXTENSION.length());
        int dot = n.lastIndexOf('.');
        return dot > 0 ? n.substring(0, dot) : n;
    }

    private static void copyTree(Path from, Path to) throws IOException {
        if (!Files.isDirectory(from)) return;
        try (var walk = Files.walk(from)) {
            for (Path p : (Iterable<Path>) walk::iterator) {
                Path q = to.resolve(from.relativize(p).toString());
                if (Files.isDirectory(p)) Files.createDirectories(q);
                else if (!Files.exists(q)) Files.copy(p, q);
            }
        }
    }
}
