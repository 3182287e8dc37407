package org.higgsnarrator.export;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CancellationException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.higgsnarrator.checkpoint.CheckpointConfigReader;
import org.higgsnarrator.checkpoint.TokenizerSpecials;
import org.higgsnarrator.config.ModelConfig;
import org.higgsnarrator.models.BenchResults;
import org.higgsnarrator.models.HubClient;
import org.higgsnarrator.models.ModelStore;
import org.higgsnarrator.models.ModelsOptions;
import org.higgsnarrator.models.PackageConverter;
import org.higgsnarrator.models.PrecisionAdvisor;
import org.higgsnarrator.models.ProgressListener;
import org.higgsnarrator.pkg.Precision;
import org.higgsnarrator.tensors.ShardedSafeTensors;

/**
 * Installing a model, the one way the CLI ({@code ./narrator models download|import}) and the studio's Models dialog
 * do it: <b>plan</b> (read the checkpoint's config in either layout, estimate every precision, check files, name and
 * disk), <b>download</b> from the hub (resumable), <b>convert</b> into a temporary folder, <b>verify</b> the result
 * against its manifest and move it into the models folder — with progress, and {@link #cancel} at any point (nothing
 * half-done is installed). Checkpoint reading lives here, with the converter; the engine's {@link ModelStore} only
 * knows packages.
 */
public final class ModelInstaller {
    private final ModelsOptions options;
    private final ModelStore store;
    private final PackageConverter converter;
    private final AtomicBoolean cancelled = new AtomicBoolean();
    private final AtomicReference<Thread> worker = new AtomicReference<>();

    /** With the real converter ({@link PackageConversion}). */
    public ModelInstaller(ModelsOptions options) {
        this(options, PackageConversion::convert);
    }

    public ModelInstaller(ModelsOptions options, PackageConverter converter) {
        this.options = options;
        this.store = new ModelStore(options);
        this.converter = converter;
    }

    public ModelStore store() {
        return store;
    }

    /** The generation model's configuration in either checkpoint layout, token ids checked against the tokenizer. */
    public static ModelConfig readConfig(Path checkpoint, Path tokenizer) {
        if (!Files.isDirectory(checkpoint)) throw new IllegalArgumentException(checkpoint + ": not a folder; choose the downloaded generation model's folder");
        if (!Files.isRegularFile(tokenizer)) {
            throw new IllegalArgumentException(tokenizer + " not found; the release ships tokenizer.json with the generation model — choose it (--tokenizer FILE)");
        }
        return CheckpointConfigReader.read(checkpoint.resolve("config.json"), TokenizerSpecials.read(tokenizer)).config();
    }

    /**
     * Parameters of the audio tokenizer: exact from its safetensors headers; for a PyTorch {@code model.pth}
     * (official layout) the file size / 4, since it stores float32 tensors.
     */
    public static long codecParameters(Path codecDir) throws IOException {
        if (!Files.isDirectory(codecDir)) return 0;
        boolean hasSafetensors;
        try (Stream<Path> s = Files.list(codecDir)) {
            hasSafetensors = s.anyMatch(p -> p.getFileName().toString().endsWith(".safetensors"));
        }
        if (hasSafetensors) {
            try (ShardedSafeTensors t = ShardedSafeTensors.open(codecDir)) {
                long n = 0;
                for (String name : t.names()) n += t.info(name).numel();
                return n;
            }
        }
        Path pth = codecDir.resolve("model.pth");
        return Files.isRegularFile(pth) ? Files.size(pth) / 4 : 0;
    }

    /** Plans an import: what it would install, the estimates of every precision and what stands in the way. */
    public ModelStore.ImportPlan plan(ModelStore.ImportRequest request) throws IOException {
        ModelConfig model = readConfig(request.checkpointDir(), request.tokenizer());
        return store.planImport(request, model, codecParameters(request.codecDir()));
    }

    /** The precision to convert to on this machine, from a plan's estimates and the bench results. */
    public static PrecisionAdvisor.Advice advise(ModelStore.ImportPlan plan, boolean cuda, BenchResults bench) {
        return PrecisionAdvisor.advise(PrecisionAdvisor.MachineInfo.detect(cuda), PrecisionAdvisor.ramOf(plan.estimates()), bench);
    }

    /** Converts, verifies and installs a plan (on the calling thread); {@link #cancel} stops it and installs nothing. */
    public ModelStore.Entry install(ModelStore.ImportPlan plan, ProgressListener progress) throws IOException {
        return working(() -> store.importPackage(plan, converter, cancellable(progress)));
    }

    /** Downloads a hub repository into {@code dest} (resumable: files already there and intact are kept). */
    public HubClient.DownloadResult download(String repo, String revision, Path dest, List<String> include,
                                             Consumer<HubClient.DownloadProgress> progress) throws IOException {
        return working(() -> {
            try {
                return new HubClient(options).download(repo, revision, dest, HubClient.globs(include), p -> {
                    if (cancelled.get()) throw new CancellationException("download cancelled; starting it again resumes it");
                    progress.accept(p);
                });
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new CancellationException("download cancelled; starting it again resumes it");
            }
        });
    }

    /** Stops the running download or install (from any thread); a cancelled install leaves nothing behind. */
    public void cancel() {
        cancelled.set(true);
        Thread t = worker.get();
        if (t != null) t.interrupt();
    }

    private ProgressListener cancellable(ProgressListener p) {
        return (stage, done, total) -> {
            if (cancelled.get()) throw new CancellationException(stage + " cancelled");
            p.update(stage, done, total);
        };
    }

    @FunctionalInterface
    private interface Work<T> {
        T run() throws IOException;
    }

    private <T> T working(Work<T> work) throws IOException {
        cancelled.set(false);
        worker.set(Thread.currentThread());
        try {
            return work.run();
        } catch (IOException | RuntimeException e) {
            // a cancel interrupts the worker: an interrupted write then fails (ClosedByInterruptException) with a
            // message about the disk; it is a cancel, and says so
            if (cancelled.get() && !(e instanceof CancellationException)) {
                CancellationException c = new CancellationException("cancelled; nothing was installed");
                c.initCause(e);
                throw c;
            }
            throw e;
        } finally {
            worker.set(null);
            if (cancelled.get()) Thread.interrupted(); // a cancel's interrupt must not outlive the work it cancelled
        }
    }
}
