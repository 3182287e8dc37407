package org.higgsnarrator.ui.view;

import java.nio.file.Path;
import java.util.List;
import javafx.beans.binding.Bindings;
import javafx.collections.ListChangeListener;
import javafx.geometry.Insets;
import javafx.geometry.Orientation;
import javafx.geometry.Pos;
import javafx.scene.Parent;
import javafx.scene.control.Alert;
import javafx.scene.control.Button;
import javafx.scene.control.ChoiceDialog;
import javafx.scene.control.Label;
import javafx.scene.control.ListCell;
import javafx.scene.control.ListView;
import javafx.scene.control.Menu;
import javafx.scene.control.MenuBar;
import javafx.scene.control.MenuItem;
import javafx.scene.control.ProgressIndicator;
import javafx.scene.control.SeparatorMenuItem;
import javafx.scene.control.SplitPane;
import javafx.scene.control.TextField;
import javafx.scene.control.ToolBar;
import javafx.scene.control.Tooltip;
import javafx.scene.input.KeyCode;
import javafx.scene.input.KeyCodeCombination;
import javafx.scene.input.KeyCombination;
import javafx.scene.layout.BorderPane;
import javafx.scene.layout.HBox;
import javafx.scene.layout.Priority;
import javafx.scene.layout.Region;
import javafx.scene.layout.VBox;
import javafx.stage.Window;
import org.higgsnarrator.ui.script.EffectTag;
import org.higgsnarrator.ui.service.BackendInfo;
import org.higgsnarrator.ui.service.ExportFormat;
import org.higgsnarrator.ui.vm.ChapterViewModel;
import org.higgsnarrator.ui.vm.ModelsViewModel;
import org.higgsnarrator.ui.vm.StudioViewModel;

/**
 * The main window's content, built in code: menus and toolbar, chapters + cast (left), chapter header + script +
 * segments (centre), voice library (right), player + render queue (bottom), status bar.
 */
public final class StudioWindow extends BorderPane {
    public final StudioViewModel vm;
    public final ScriptEditor editor;
    public final CastPane cast;
    public final VoicePane voices;
    public final SegmentsPane segments;
    public final PlayerPane player;
    public final ListView<ChapterViewModel> chapterList = new ListView<>();
    private final Dialogs dialogs;
    private org.higgsnarrator.models.ModelsOptions modelsOptions;
    private org.higgsnarrator.ui.concurrent.BackgroundExecutor modelsExec;
    private final TextField chapterTitle = new TextField();
    private final TextField scene = new TextField();
    private ChapterViewModel boundChapter;
    private BookRenderDialog bookRender;

    public StudioWindow(StudioViewModel vm, Dialogs dialogs) {
        this.vm = vm;
        this.dialogs = dialogs;
        getStyleClass().add("studio");
        editor = new ScriptEditor(vm.cast::speakerNames);
        cast = new CastPane(vm.cast, vm.project);
        voices = new VoicePane(vm.cast, vm.project, dialogs);
        segments = new SegmentsPane(vm.segments, vm.cast, vm.project);
        player = new PlayerPane(vm.player);

        setTop(new VBox(menuBar(), toolBar(), banner()));
        SplitPane main = new SplitPane(left(), center(), voices);
        main.setDividerPositions(0.24, 0.70);
        SplitPane.setResizableWithParent(voices, false);
        QueuePane queue = new QueuePane(vm.queue);
        SplitPane bottom = new SplitPane(player, queue);
        bottom.setDividerPositions(0.6);
        SplitPane vertical = new SplitPane(main, bottom);
        vertical.setOrientation(Orientation.VERTICAL);
        vertical.setDividerPositions(0.70);
        setCenter(vertical);
        setBottom(statusBar());

        vm.project.selectedChapterProperty().addListener((o, a, c) -> bindChapter(c));
        vm.cast.speakers().addListener((ListChangeListener<org.higgsnarrator.ui.vm.SpeakerViewModel>) ch -> editor.restyle());
        bindChapter(vm.project.selectedChapter());
        vm.player.currentSegmentProperty().addListener((o, a, i) -> {
            if (vm.player.chapterProperty().get() == vm.project.selectedChapter()) {
                editor.highlightSegment(i.intValue());
                if (i.intValue() >= 0) segments.list.getSelectionModel().select(i.intValue());
            }
        });
        vm.player.currentSentenceProperty().addListener((o, a, s) -> {
            if (vm.player.chapterProperty().get() == vm.project.selectedChapter()) {
                editor.highlightSentence(s == null ? -1 : s.segmentIndex(), s == null ? -1 : s.index());
            }
        });
        segments.list.getSelectionModel().selectedItemProperty().addListener((o, a, r) -> {
            // Only a selection the user makes in the list moves the editor's selection (never while typing).
            if (r != null && segments.list.isFocused() && editor.segmentAtCaret() != r.segment().index()) editor.selectSegment(r.segment());
        });
    }

    private Parent left() {
        Label head = new Label("Chapters");
        head.getStyleClass().add("section-title");
        chapterList.setId("chapters");
        chapterList.setItems(vm.project.chapters());
        chapterList.setCellFactory(lv -> new ListCell<>() {
            @Override
            protected void updateItem(ChapterViewModel c, boolean empty) {
                super.updateItem(c, empty);
                textProperty().unbind();
                if (empty || c == null) setText(null);
                else textProperty().bind(Bindings.concat(c.title));
            }
        });
        chapterList.getSelectionModel().selectedItemProperty().addListener((o, a, c) -> {
            if (c != null) vm.project.selectChapter(c);
        });
        vm.project.selectedChapterProperty().addListener((o, a, c) -> chapterList.getSelectionModel().select(c));
        Button add = new Button("+ Chapter");
        add.setId("addChapter");
        bind(add, vm.project.addChapterCommand);
        Button remove = new Button("Remove");
        bind(remove, vm.project.removeChapterCommand);
        VBox chapters = new VBox(6, head, chapterList, new HBox(6, add, remove));
        chapters.getStyleClass().add("side-section");
        chapters.setPadding(new Insets(8));
        VBox.setVgrow(chapterList, Priority.ALWAYS);
        SplitPane sp = new SplitPane(chapters, cast);
        sp.setOrientation(Orientation.VERTICAL);
        sp.setDividerPositions(0.4);
        return sp;
    }

    private Parent center() {
        chapterTitle.setId("chapterTitle");
        chapterTitle.setPromptText("Chapter title");
        chapterTitle.getStyleClass().add("chapter-title");
        scene.setId("scene");
        scene.setPromptText("Scene description, e.g. Audio is recorded from a quiet room.");
        Label sceneLabel = new Label("_Scene");
        sceneLabel.setMnemonicParsing(true);
        sceneLabel.setLabelFor(scene);
        HBox.setHgrow(scene, Priority.ALWAYS);
        HBox sceneRow = new HBox(8, sceneLabel, scene);
        sceneRow.setAlignment(Pos.CENTER_LEFT);
        Label hint = new Label("A paragraph or a 'Name:' / [SPEAKER1] line is one segment · Ctrl+T: effects ([laugh], [music]…)");
        hint.getStyleClass().add("hint");
        VBox.setVgrow(editor, Priority.ALWAYS);
        VBox top = new VBox(6, chapterTitle, sceneRow, hint, editor);
        top.setPadding(new Insets(8, 8, 0, 8));
        segments.setPadding(new Insets(6, 8, 8, 8));
        SplitPane sp = new SplitPane(top, segments);
        sp.setOrientation(Orientation.VERTICAL);
        sp.setDividerPositions(0.62);
        return sp;
    }

    private void bindChapter(ChapterViewModel c) {
        if (boundChapter != null) {
            chapterTitle.textProperty().unbindBidirectional(boundChapter.title);
            scene.textProperty().unbindBidirectional(boundChapter.scene);
        }
        boundChapter = c;
        if (c != null) {
            chapterTitle.textProperty().bindBidirectional(c.title);
            scene.textProperty().bindBidirectional(c.scene);
        } else {
            chapterTitle.clear();
            scene.clear();
        }
        chapterTitle.setDisable(c == null);
        scene.setDisable(c == null);
        editor.setChapter(c);
        segments.list.setItems(c == null ? null : c.segments());
    }

    private MenuBar menuBar() {
        Menu file = new Menu("_File");
        MenuItem newP = item("_New project…", "Shortcut+N", this::newProject);
        newP.setId("menuNew");
        MenuItem open = item("_Open project…", "Shortcut+O", () -> dialogs.openProjectFile().ifPresent(vm.project::open));
        Menu recent = new Menu("Open _recent");
        Runnable fillRecent = () -> {
            recent.getItems().clear();
            for (Path p : vm.session.recentProjects()) {
                MenuItem mi = new MenuItem(p.getFileName() + "  —  " + p.getParent());
                mi.setMnemonicParsing(false);
                mi.setOnAction(e -> vm.project.open(p));
                recent.getItems().add(mi);
            }
            recent.setDisable(vm.session.recentProjects().isEmpty());
        };
        vm.session.recentProjects().addListener((ListChangeListener<Path>) ch -> fillRecent.run());
        fillRecent.run();
        MenuItem save = item("_Save", "Shortcut+S", vm.project.saveCommand);
        MenuItem saveAs = item("Save _as…", "Shortcut+Shift+S", () -> dialogs.saveProjectAs().ifPresent(vm.project::saveAs));
        MenuItem importBook = item("_Import book…", "Shortcut+I", () -> dialogs.file("Import a book (EPUB, DOCX, Markdown, text)")
                .ifPresent(b -> dialogs.newProjectFile().ifPresent(p -> vm.importBook(b, p))));
        saveAs.disableProperty().bind(vm.project.projectOpenProperty().not());
        MenuItem expC = item("_Export chapter…", "Shortcut+E", () -> export(List.of(vm.project.selectedChapter())));
        expC.disableProperty().bind(vm.project.selectedChapterProperty().isNull());
        MenuItem expB = item("Export _book…", "Shortcut+Shift+E", () -> export(List.copyOf(vm.project.chapters())));
        expB.disableProperty().bind(vm.project.projectOpenProperty().not());
        MenuItem settings = item("Se_ttings…", "Shortcut+COMMA", this::showSettings);
        MenuItem models = item("_Models…", "Shortcut+M", this::showModels);
        models.setId("menuModels");
        MenuItem quit = item("_Quit", "Shortcut+Q", () -> {
            Window w = getScene().getWindow();
            w.fireEvent(new javafx.stage.WindowEvent(w, javafx.stage.WindowEvent.WINDOW_CLOSE_REQUEST));
        });
        file.getItems().addAll(newP, open, recent, importBook, new SeparatorMenuItem(), save, saveAs, new SeparatorMenuItem(), expC, expB,
                new SeparatorMenuItem(), settings, models, new SeparatorMenuItem(), quit);

        Menu edit = new Menu("_Edit");
        Menu tags = new Menu("Insert _effect");
        EffectTag[] all = EffectTag.values();
        for (int k = 0; k < all.length; k++) {
            EffectTag t = all[k];
            MenuItem mi = item(t.label, null, () -> editor.insertTag(t));
            mi.setAccelerator(ScriptEditor.effectShortcut(k));
            tags.getItems().add(mi);
        }
        MenuItem tagMenu = item("Effect _menu at caret", "Shortcut+T", editor::showTagMenu);
        MenuItem addCh = item("Add _chapter", "Shortcut+Shift+N", vm.project.addChapterCommand);
        MenuItem sync = item("_Update cast from script", "Shortcut+U", vm.cast.syncSpeakersCommand);
        MenuItem lexicon = item("Pronunciation _lexicon…", "Shortcut+Shift+L", () -> new LexiconDialog(getScene().getWindow(), vm, dialogs).showAndWait());
        edit.getItems().addAll(tags, tagMenu, new SeparatorMenuItem(), addCh, sync, lexicon);

        Menu render = new Menu("_Render");
        MenuItem seg = item("Render _segment at caret", "Shortcut+R", () -> renderAtCaret(false));
        MenuItem take = item("New _take of segment", "Shortcut+Shift+R", () -> renderAtCaret(true));
        MenuItem chap = item("Render _chapter", "F5", vm.segments.renderChapterCommand);
        MenuItem allChapters = item("Render _all chapters", "Shift+F5", vm.segments.renderBookCommand);
        MenuItem cancel = item("C_ancel all", "Shortcut+PERIOD", vm.queue.cancelAllCommand);
        MenuItem book = item("Render _book…", "Shortcut+Shift+B", this::showBookRender);
        book.setId("menuRenderBook");
        book.disableProperty().bind(vm.project.projectOpenProperty().not());
        render.getItems().addAll(seg, take, chap, allChapters, new SeparatorMenuItem(), cancel, new SeparatorMenuItem(), book);

        Menu play = new Menu("_Playback");
        MenuItem pp = item("_Play / stop", "F8", player::togglePlay);
        MenuItem load = item("_Load chapter audio", "Shortcut+L", vm.player.loadChapterCommand);
        MenuItem fromSeg = item("Play from _segment at caret", "Shortcut+F8", () -> {
            double t = vm.player.startOf(editor.segmentAtCaret());
            if (t >= 0) player.play(t);
        });
        play.getItems().addAll(pp, load, fromSeg);

        Menu help = new Menu("_Help");
        help.getItems().add(item("_Keyboard shortcuts", "F1", this::showShortcuts));
        MenuBar bar = new MenuBar(file, edit, render, play, help);
        bar.setId("menuBar");
        return bar;
    }

    private static MenuItem item(String text, String accel, Runnable action) {
        MenuItem mi = new MenuItem(text);
        mi.setMnemonicParsing(true);
        if (accel != null) mi.setAccelerator(KeyCombination.keyCombination(accel));
        mi.setOnAction(e -> action.run());
        return mi;
    }

    /** A menu item that runs a command and is disabled while the command cannot run. */
    private static MenuItem item(String text, String accel, org.higgsnarrator.ui.vm.Command command) {
        MenuItem mi = item(text, accel, command::execute);
        mi.disableProperty().bind(command.disabledProperty());
        return mi;
    }

    /** A button that runs a command and is disabled while the command cannot run. */
    static void bind(Button b, org.higgsnarrator.ui.vm.Command command) {
        b.setOnAction(e -> command.execute());
        b.disableProperty().bind(command.disabledProperty());
    }

    private ToolBar toolBar() {
        Button n = tb("New", "New project (Ctrl+N)", this::newProject);
        Button o = tb("Open", "Open project (Ctrl+O)", () -> dialogs.openProjectFile().ifPresent(vm.project::open));
        Button s = tb("Save", "Save (Ctrl+S)", vm.project.saveCommand::execute);
        s.disableProperty().bind(vm.project.dirtyProperty().not());
        Button rc = tb("Render chapter", "Render what changed in this chapter (F5)", null);
        bind(rc, vm.segments.renderChapterCommand);
        rc.setId("renderChapter");
        rc.getStyleClass().add("primary-action");
        Button rb = tb("Render all", "Render what changed in every chapter (Shift+F5)", null);
        bind(rb, vm.segments.renderBookCommand);
        Button book = tb("Render book…", "The book as an audiobook in a folder: chapter files, M4B, captions, read-along (Ctrl+Shift+B)", this::showBookRender);
        book.disableProperty().bind(vm.project.projectOpenProperty().not());
        Button tag = tb("Effect…", "Insert an effect tag at the caret (Ctrl+T)", editor::showTagMenu);
        Button ex = tb("Export…", "Export the chapter (Ctrl+E)", () -> export(List.of(vm.project.selectedChapter())));
        ex.disableProperty().bind(vm.project.selectedChapterProperty().isNull());
        Button st = tb("Settings", "Model, device, generation (Ctrl+,)", this::showSettings);
        st.setId("settings");
        ToolBar t = new ToolBar(n, o, s, new javafx.scene.control.Separator(), tag, rc, rb, book, ex, new javafx.scene.control.Separator(), st);
        t.setFocusTraversable(false);
        return t;
    }

    private static Button tb(String text, String tip, Runnable r) {
        Button b = new Button(text);
        b.setTooltip(new Tooltip(tip));
        if (r != null) b.setOnAction(e -> r.run());
        b.setFocusTraversable(false);
        return b;
    }

    /**
     * A plain warning under the toolbar: test model, or why rendering is unavailable. With the random-weight test model
     * it offers the way out: "Get the real model…" opens the Models dialog (first run).
     */
    private Parent banner() {
        Label l = new Label();
        l.setId("banner");
        l.setWrapText(true);
        l.setMaxWidth(Double.MAX_VALUE);
        HBox.setHgrow(l, Priority.ALWAYS);
        l.textProperty().bind(Bindings.createStringBinding(() -> bannerText(vm.session.backend()), vm.session.backendProperty()));
        Button get = new Button("_Get the real model…");
        get.setId("getRealModel");
        get.setMinWidth(Region.USE_PREF_SIZE);
        get.setOnAction(e -> showModels());
        get.visibleProperty().bind(Bindings.createBooleanBinding(() -> vm.session.backend() != null && vm.session.backend().randomWeights(),
                vm.session.backendProperty()));
        get.managedProperty().bind(get.visibleProperty());
        HBox box = new HBox(10, l, get);
        box.setId("bannerBox");
        box.setAlignment(Pos.CENTER_LEFT);
        box.getStyleClass().add("banner-warning");
        box.visibleProperty().bind(l.textProperty().isNotEmpty());
        box.managedProperty().bind(box.visibleProperty());
        return box;
    }

    static String bannerText(BackendInfo b) {
        if (b == null) return "";
        StringBuilder s = new StringBuilder();
        if (b.randomWeights()) {
            s.append("Model '").append(b.modelName()).append("' is a random-weight TEST model: it exercises the pipeline but does not speak. "
                    + "Get the real Higgs Audio v2 model (Models…) or choose a converted package in Settings to narrate.");
        }
        if (!b.canRender()) s.append(s.isEmpty() ? "" : "  ").append("Rendering unavailable: ").append(b.cannotRenderReason());
        return s.toString();
    }

    private Parent statusBar() {
        Label status = new Label();
        status.setId("status");
        status.textProperty().bind(vm.status.messageProperty());
        status.setMaxWidth(Double.MAX_VALUE);
        vm.status.errorProperty().addListener((o, a, e) -> {
            if (e) status.getStyleClass().add("error");
            else status.getStyleClass().remove("error");
        });
        ProgressIndicator busy = new ProgressIndicator();
        busy.setPrefSize(16, 16);
        busy.visibleProperty().bind(vm.status.busyProperty());
        Label backend = new Label();
        backend.setId("backend");
        backend.textProperty().bind(Bindings.createStringBinding(() -> vm.session.backend() == null ? "" : vm.session.backend().summary(),
                vm.session.backendProperty()));
        backend.getStyleClass().add("hint");
        // the reason for the device (e.g. why not CUDA) is one hover away; Settings shows it too
        javafx.scene.control.Tooltip tip = new javafx.scene.control.Tooltip();
        tip.textProperty().bind(Bindings.createStringBinding(() -> vm.session.backend() == null ? "" : vm.session.backend().deviceReason(),
                vm.session.backendProperty()));
        backend.setTooltip(tip);
        HBox.setHgrow(status, Priority.ALWAYS);
        Region r = new Region();
        HBox bar = new HBox(10, busy, status, r, backend);
        bar.getStyleClass().add("status-bar");
        bar.setAlignment(Pos.CENTER_LEFT);
        return bar;
    }

    private void newProject() {
        dialogs.newProjectFile().ifPresent(p -> vm.project.newProject(p, null));
    }

    private void renderAtCaret(boolean newTake) {
        vm.segments.renderSegmentAt(editor.segmentAtCaret(), newTake);
    }

    private void export(List<ChapterViewModel> which) {
        if (which.isEmpty() || which.getFirst() == null) return;
        List<ExportFormat> formats = vm.segments.exportFormats();
        ExportFormat f = formats.getFirst();
        if (formats.size() > 1) {
            ChoiceDialog<ExportFormat> d = new ChoiceDialog<>(f, formats);
            d.initOwner(getScene().getWindow());
            d.setTitle("Export");
            d.setHeaderText("Export format");
            var r = d.showAndWait();
            if (r.isEmpty()) return;
            f = r.get();
        }
        String name = which.size() == 1 ? which.getFirst().title.get() : vm.project.title();
        ExportFormat fmt = f;
        dialogs.exportFile(f, name.isBlank() ? "export" : name).ifPresent(p -> vm.segments.export(which, fmt, p));
    }

    /** Render → Render book…: one window per studio window, shown again with its progress if a render runs. */
    public BookRenderDialog showBookRender() {
        if (bookRender == null) bookRender = new BookRenderDialog(getScene().getWindow(), vm.book, dialogs);
        vm.book.prepare();
        bookRender.show();
        bookRender.toFront();
        return bookRender;
    }

    public void showSettings() {
        new SettingsDialog(getScene().getWindow(), vm.session, vm.project, dialogs, this::showModels).showAndWait();
    }

    /** Where the Models dialog finds packages, downloads and bench results; tests point it at a temporary folder. */
    public void setModelsOptions(org.higgsnarrator.models.ModelsOptions o) {
        modelsOptions = o;
    }

    /** The Models dialog (menu, banner, Settings). Imports and downloads run on their own background thread. */
    public void showModels() {
        if (modelsExec == null) modelsExec = new org.higgsnarrator.ui.concurrent.FxBackgroundExecutor();
        ModelsViewModel m = new ModelsViewModel(modelsOptions == null ? ModelsViewModel.defaultOptions() : modelsOptions,
                org.higgsnarrator.export.PackageConversion::convert, modelsExec, vm.session.backendProperty(), vm.session::useModelPackage);
        new ModelsDialog(getScene().getWindow(), m, dialogs).showAndWait();
    }

    private void showShortcuts() {
        Alert a = new Alert(Alert.AlertType.INFORMATION);
        a.initOwner(getScene().getWindow());
        a.setTitle("Keyboard shortcuts");
        a.setHeaderText("Keyboard shortcuts");
        a.setContentText("""
                Ctrl+N new project · Ctrl+O open · Ctrl+S save · Ctrl+Shift+S save as
                Ctrl+T effect menu at caret · Ctrl+1…8 insert an effect directly
                Ctrl+R render segment at caret · Ctrl+Shift+R new take · F5 render chapter · Shift+F5 render all chapters
                Ctrl+Shift+B render the book into a folder (chapter files, M4B, captions, read-along)
                Ctrl+. cancel all renders
                Ctrl+L load chapter audio · F8 play/stop · Ctrl+F8 play from the segment at the caret
                Ctrl+E export chapter · Ctrl+Shift+E export book · Ctrl+, settings · Ctrl+M models
                Alt+letter: menus and underlined labels · Tab / Shift+Tab move between panes""");
        a.showAndWait();
    }
}
