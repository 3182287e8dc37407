package org.higgsnarrator.ui;

import java.nio.file.Path;
import java.util.concurrent.CountDownLatch;
import javafx.application.Platform;
import org.higgsnarrator.ui.concurrent.SynchronousExecutor;
import org.higgsnarrator.ui.service.BasicNarrationService;
import org.higgsnarrator.ui.vm.StudioViewModel;

/**
 * A studio session in its own process for {@link SessionSafetyTest}: opens the project given as argument, edits its
 * chapter without saving, installs the studio's shutdown hook, says READY and waits to be killed.
 */
public final class SigtermProbe {
    public static void main(String[] args) throws Exception {
        Path project = Path.of(args[0]);
        CountDownLatch ready = new CountDownLatch(1);
        Platform.startup(() -> {
            StudioViewModel vm = new StudioViewModel(new BasicNarrationService(), new SynchronousExecutor(), project.resolveSibling("settings.json"), System::nanoTime);
            vm.project.open(project);
            vm.project.selectedChapter().script.set(args[1]);
            if (!vm.project.isDirty()) throw new IllegalStateException("the edit did not mark the project dirty");
            SessionSafety.saveOnShutdown(vm);
            ready.countDown();
        });
        ready.await();
        System.out.println("READY");
        System.out.flush();
        Thread.sleep(60_000);
    }
}
