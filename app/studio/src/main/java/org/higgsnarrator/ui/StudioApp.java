package org.higgsnarrator.ui;

import atlantafx.base.theme.PrimerLight;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import javafx.animation.KeyFrame;
import javafx.animation.PauseTransition;
import javafx.animation.Timeline;
import javafx.application.Application;
import javafx.scene.Scene;
import javafx.stage.Stage;
import javafx.util.Duration;
import org.higgsnarrator.ui.concurrent.FxBackgroundExecutor;
import org.higgsnarrator.ui.service.NarrationServices;
import org.higgsnarrator.ui.view.FxDialogs;
import org.higgsnarrator.ui.view.StudioWindow;
import org.higgsnarrator.ui.vm.StudioViewModel;

/**
 * The studio application. {@code ./narrator studio [--project FILE] [--model DIR]} starts it through
 * {@link #launchStudio}.
 */
public final class StudioApp extends Application {
    /** How often unsaved changes are written to the project file. */
    public static final Duration AUTOSAVE_EVERY = Duration.seconds(30);
    /** Pause after typing before {@code Name:} prefixes become speakers in the cast. */
    public static final Duration CAST_SYNC_DELAY = Duration.millis(900);

    private static volatile Path startProject;
    private static volatile Path startModel;
    private StudioViewModel vm;
    private StudioWindow window;

    /** Blocks until the window is closed. */
    public static void launchStudio(Path project, Path model) {
        startProject = project;
        startModel = model;
        Application.launch(StudioApp.class);
    }

    @Override
    public void start(Stage stage) {
        vm = new StudioViewModel(NarrationServices.create(), new FxBackgroundExecutor(), AppSettings.defaultFile(), System::nanoTime);
        window = new StudioWindow(vm, new FxDialogs(stage));
        stage.setScene(scene(window));
        stage.titleProperty().bind(vm.project.windowTitleProperty());
        stage.setWidth(1360);
        stage.setHeight(900);
        install(stage, vm);
        stage.setOnCloseRequest(e -> {
            vm.project.autosave();
            window.player.stop();
        });
        stage.show();

        if (startModel != null) vm.session.useModelPackage(startModel);
        else loadDefaultModel(vm);
        if (startProject != null) {
            if (Files.exists(startProject)) vm.project.open(startProject);
            else vm.project.newProject(startProject, null);
        }
    }

    /** Loads the model from the settings (bundled tiny package unless another was chosen), if it is there. */
    public static void loadDefaultModel(StudioViewModel vm) {
        vm.session.loadDefaultModel();
    }

    /** The scene with the theme: AtlantaFX Primer Light as the base, studio.css on top. */
    public static Scene scene(StudioWindow w) {
        Application.setUserAgentStylesheet(new PrimerLight().getUserAgentStylesheet());
        Scene s = new Scene(w, 1360, 900);
        s.getStylesheets().add(StudioApp.class.getResource("studio.css").toExternalForm());
        return s;
    }

    /** Timers of a running studio: autosave, and turning new "Name:" prefixes into speakers after a pause in typing. */
    public static void install(Stage stage, StudioViewModel vm) {
        install(stage, vm, AUTOSAVE_EVERY);
    }

    /** As {@link #install(Stage, StudioViewModel)} with another autosave period (UI tests: none while they run). */
    public static void install(Stage stage, StudioViewModel vm, Duration autosaveEvery) {
        Timeline autosave = new Timeline(new KeyFrame(autosaveEvery, e -> vm.project.autosave()));
        autosave.setCycleCount(Timeline.INDEFINITE);
        autosave.play();
        PauseTransition castSync = new PauseTransition(CAST_SYNC_DELAY);
        castSync.setOnFinished(e -> vm.cast.syncSpeakersCommand.execute());
        javafx.beans.value.ChangeListener<String> typed = (o, a, b) -> castSync.playFromStart();
        vm.project.selectedChapterProperty().addListener((o, a, c) -> {
            if (a != null) a.script.removeListener(typed);
            if (c != null) c.script.addListener(typed);
        });
        if (vm.project.selectedChapter() != null) vm.project.selectedChapter().script.addListener(typed);
        stage.setOnHidden(e -> {
            autosave.stop();
            vm.close();
        });
    }

    @Override
    public void stop() {
        if (vm != null) vm.close();
    }

    public static void main(String[] args) {
        List<String> a = List.of(args);
        int i = a.indexOf("--project");
        launchStudio(i >= 0 && i + 1 < a.size() ? Path.of(a.get(i + 1)) : null, null);
    }
}
