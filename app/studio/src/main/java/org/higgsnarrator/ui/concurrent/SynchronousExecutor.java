package org.higgsnarrator.ui.concurrent;

import java.util.concurrent.Callable;
import java.util.function.Consumer;

/** Runs work and callbacks immediately on the calling thread: deterministic view-model tests. */
public final class SynchronousExecutor implements BackgroundExecutor {
    @Override
    public <T> void submit(Callable<T> work, Consumer<? super T> onSuccess, Consumer<Throwable> onFailure) {
        T result;
        try {
            result = work.call();
        } catch (Throwable e) {
            onFailure.accept(e);
            return;
        }
        onSuccess.accept(result);
    }

    @Override
    public void onUi(Runnable r) {
        r.run();
    }

    @Override
    public void close() {}
}
