package org.higgsnarrator.ui;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import javafx.animation.PauseTransition;
import javafx.application.Platform;
import javafx.util.Duration;
import org.higgsnarrator.ui.vm.StudioViewModel;

/**
 * Never lose work: the project is saved a moment after the last edit (debounced, on top of the periodic autosave),
 * and when the process is asked to end (SIGTERM at logout or shutdown, Ctrl+C in the terminal) before it exits.
 */
public final class SessionSafety {
    private SessionSafety() {}

    /** Edits are saved this long after the last one. */
    public static final Duration DEBOUNCE = Duration.seconds(2);

    /** Saves {@link #DEBOUNCE} after the last edit (call on the FX thread). */
    public static PauseTransition debouncedAutosave(StudioViewModel vm) {
        PauseTransition pause = new PauseTransition(DEBOUNCE);
        pause.setOnFinished(e -> vm.project.autosave());
        vm.project.editsProperty().addListener((o, a, b) -> pause.playFromStart());
        return pause;
    }

    /**
     * A JVM shutdown hook that saves unsaved changes. The save runs on the FX thread while it is still alive (the
     * view model is not thread-safe); if that thread does not answer within two seconds it runs on the hook's thread.
     */
    public static Thread saveOnShutdown(StudioViewModel vm) {
        Thread hook = new Thread(() -> {
            CountDownLatch done = new CountDownLatch(1);
            try {
                Platform.runLater(() -> {
                    try {
                        vm.project.autosave();
                    } finally {
                        done.countDown();
                    }
                });
                if (done.await(2, TimeUnit.SECONDS)) return;
            } catch (IllegalStateException | InterruptedException e) {
                // the FX toolkit is already gone: save from here
            }
            vm.project.autosave();
        }, "studio-save-on-shutdown");
        Runtime.getRuntime().addShutdownHook(hook);
        return hook;
    }
}
