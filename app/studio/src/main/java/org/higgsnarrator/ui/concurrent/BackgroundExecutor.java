package org.higgsnarrator.ui.concurrent;

import java.util.concurrent.Callable;
import java.util.function.Consumer;

/**
 * Where view models run slow work. {@link #submit} runs {@code work} off the UI thread and delivers its result (or
 * failure) on the UI thread; {@link #onUi} runs on the UI thread. {@link FxBackgroundExecutor} is the app's;
 * {@link SynchronousExecutor} runs everything at once on the caller's thread so view-model tests are deterministic.
 */
public interface BackgroundExecutor extends AutoCloseable {
    <T> void submit(Callable<T> work, Consumer<? super T> onSuccess, Consumer<Throwable> onFailure);

    void onUi(Runnable r);

    /**
     * An executor of the same kind with its own worker, for work that must not wait behind this one's (a render
     * server's jobs beside the local model's); the caller closes it. The synchronous one returns itself, so tests
     * stay deterministic.
     */
    default BackgroundExecutor another() {
        return this;
    }

    @Override
    void close();
}
