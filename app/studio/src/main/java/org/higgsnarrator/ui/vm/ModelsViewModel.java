package org.higgsnarrator.ui.vm;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CancellationException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;
import javafx.beans.property.BooleanProperty;
import javafx.beans.property.DoubleProperty;
import javafx.beans.property.ObjectProperty;
import javafx.beans.property.SimpleBooleanProperty;
import javafx.beans.property.SimpleDoubleProperty;
import javafx.beans.property.SimpleObjectProperty;
import javafx.beans.property.SimpleStringProperty;
import javafx.beans.property.StringProperty;
import javafx.collections.FXCollections;
import javafx.collections.ObservableList;
import org.higgsnarrator.config.ModelConfig;
import org.higgsnarrator.engine.DecodeBench;
import org.higgsnarrator.export.ModelInstaller;
import org.higgsnarrator.models.BenchResults;
import org.higgsnarrator.models.Digests;
import org.higgsnarrator.models.ModelStore;
import org.higgsnarrator.models.ModelsOptions;
import org.higgsnarrator.models.PackageConverter;
import org.higgsnarrator.pkg.Precision;
import org.higgsnarrator.models.PrecisionAdvisor;
import org.higgsnarrator.models.ProgressListener;
import org.higgsnarrator.models.ResourceEstimator;
import org.higgsnarrator.runtime.Device;
import org.higgsnarrator.ui.concurrent.BackgroundExecutor;
import org.higgsnarrator.ui.service.BackendInfo;

/**
 * The Models dialog: installed packages (verify, remove, use), what the real model needs per precision on this
 * machine with the advised precision, and getting it — import a downloaded Hugging Face checkpoint (convert with
 * progress, cancellable) or download it from the hub first. Engine work is {@code org.higgsnarrator.models}; this
 * class only sequences it off the UI thread and holds the state the dialog shows.
 */
public final class ModelsViewModel {
    /** The released generation model and audio tokenizer on the Hugging Face hub. */
    public static final String RELEASE_REPO = "bosonai/higgs-audio-v2-generation-3B-base";
    public static final String RELEASE_CODEC_REPO = "bosonai/higgs-audio-v2-tokenizer";
    /** Decoder layers of the released 3B backbone (Llama-3.2-3B: 28). */
    static final int RELEASE_LAYERS = 28;

    /**
     * One precision as the dialog shows it.
     *
     * @param measured e.g. "1.62× real-time (int4, 16 threads)" from bench.json, or null when not measured
     */
    public record EstimateRow(Precision precision, long diskBytes, long ramBytes, boolean fits, boolean advised, String measured) {
        public String disk() {
            return Digests.human(diskBytes);
        }

        public String ram() {
            return Digests.human(ramBytes);
        }
    }

    public final ObservableList<ModelStore.Entry> packages = FXCollections.observableArrayList();
    public final ObjectProperty<ModelStore.Entry> selected = new SimpleObjectProperty<>();
    private final javafx.beans.property.ReadOnlyStringWrapper selectedSource = new javafx.beans.property.ReadOnlyStringWrapper("");
    /** True when the only packages are bundled random-weight test models: the dialog leads with "get the real model". */
    public final BooleanProperty onlyTestModels = new SimpleBooleanProperty(true);

    /** What the estimate describes ("the released Higgs Audio v2 3B" or the chosen checkpoint). */
    public final StringProperty estimateBasis = new SimpleStringProperty("");
    public final ObservableList<EstimateRow> estimates = FXCollections.observableArrayList();
    public final ObjectProperty<Precision> advised = new SimpleObjectProperty<>();
    public final StringProperty advice = new SimpleStringProperty("");
    /** The device that will run the model, with the engine's reason. */
    public final StringProperty device = new SimpleStringProperty("");

    public final ObjectProperty<Path> checkpointDir = new SimpleObjectProperty<>();
    public final ObjectProperty<Path> codecDir = new SimpleObjectProperty<>();
    public final ObjectProperty<Path> tokenizer = new SimpleObjectProperty<>();
    public final ObjectProperty<Precision> precision = new SimpleObjectProperty<>();
    /** Why the import cannot start (missing files, target exists, disk too small); empty when it can. */
    public final ObservableList<String> blockers = FXCollections.observableArrayList();

    public final StringProperty repo = new SimpleStringProperty(RELEASE_REPO);
    public final StringProperty codecRepo = new SimpleStringProperty(RELEASE_CODEC_REPO);

    public final BooleanProperty busy = new SimpleBooleanProperty(false);
    /** 0..1, or -1 while the total is unknown. */
    public final DoubleProperty progress = new SimpleDoubleProperty(0);
    public final StringProperty progressText = new SimpleStringProperty("");
    public final StringProperty status = new SimpleStringProperty("");
    public final BooleanProperty statusIsError = new SimpleBooleanProperty(false);

    private final ModelsOptions options;
    private final ModelStore store;
    /** The one installation service (plan, download, convert, verify; progress and cancel), as the CLI uses it. */
    private final ModelInstaller installer;
    private final BackgroundExecutor exec;
    private final javafx.beans.value.ObservableObjectValue<BackendInfo> backend;
    private final Consumer<Path> useModel;
    private final AtomicBoolean cancelled = new AtomicBoolean();
    private final AtomicReference<Thread> worker = new AtomicReference<>();
    private boolean planning;

    /**
     * @param backend  the studio's loaded model (device and its reason; whether it is a test model)
     * @param useModel makes a package the studio's model (the settings path: loads it and remembers the choice)
     */
    public ModelsViewModel(ModelsOptions options, PackageConverter converter, BackgroundExecutor exec,
                           javafx.beans.value.ObservableObjectValue<BackendInfo> backend, Consumer<Path> useModel) {
        this.options = options;
        this.installer = new ModelInstaller(options, converter);
        this.store = installer.store();
        this.exec = exec;
        this.backend = backend;
        this.useModel = useModel;
        precision.addListener((o, a, b) -> {
            if (b != null && !planning && checkpointDir.get() != null) planImport();
        });
        selected.addListener((o, a, b) -> selectedSource.set(sourceText(b)));
    }

    /**
     * Where the selected package was converted from, as its manifest records it ({@code source}: the hub repository and
     * the commit it was downloaded at, {@code owner/name@commit}, for the checkpoint and the audio tokenizer — or the
     * folder's name for a local import); empty when nothing is selected.
     */
    public javafx.beans.property.ReadOnlyStringProperty selectedSource() {
        return selectedSource.getReadOnlyProperty();
    }

    static String sourceText(ModelStore.Entry e) {
        if (e == null) return "";
        if (e.source() == null || e.source().isBlank()) return "Source: not recorded in its manifest";
        return "Source: " + e.source();
    }

    /**
     * {@link ModelsOptions#defaults()} (models folder, hub, bench.json as the CLI uses them); the bundled packages are
     * those beside the studio's bundled model when {@code narrator.home} is not set.
     */
    public static ModelsOptions defaultOptions() {
        ModelsOptions o = ModelsOptions.defaults();
        if (o.appHome() == null) {
            Path home = org.higgsnarrator.ui.AppSettings.bundledModel().toAbsolutePath().normalize().getParent().getParent();
            o = o.withAppHome(home);
        }
        return o;
    }

    public Path modelsRoot() {
        return store.root();
    }

    // ---------------------------------------------------------------- installed packages

    /** Lists the packages (bundled first) and estimates the released model for this machine. */
    public void refresh() {
        try {
            List<ModelStore.Entry> all = store.list();
            ModelStore.Entry keep = selected.get();
            packages.setAll(all);
            selected.set(keep == null ? null : all.stream().filter(e -> e.dir().equals(keep.dir())).findFirst().orElse(null));
            onlyTestModels.set(all.stream().allMatch(e -> e.bundled() || e.randomWeights()));
        } catch (IOException e) {
            error("Cannot list the models folder " + store.root() + ": " + StudioViewModel.message(e));
        }
        updateDevice();
        if (checkpointDir.get() == null) estimateRelease();
    }

    /** Checks every file of the package against its manifest (size, sha256). */
    public void verify(ModelStore.Entry e) {
        run("Verifying " + e.id(), listener -> ModelStore.verify(e.dir(), listener), r -> {
            if (r.ok()) info(e.id() + ": all " + r.files() + " files intact (" + Digests.human(r.bytes()) + ").");
            else error(e.id() + " is damaged:\n" + String.join("\n", r.problems()));
        });
    }

    /** Deletes an installed package; the bundled ones belong to the application and are refused with the reason. */
    public void remove(ModelStore.Entry e) {
        if (e.bundled()) {
            error("'" + e.id() + "' is bundled with the application and cannot be removed.");
            return;
        }
        BackendInfo b = backend.get();
        if (b != null && b.packageDir() != null && b.packageDir().toAbsolutePath().normalize().equals(e.dir().toAbsolutePath().normalize())) {
            error("'" + e.id() + "' is the studio's model now; choose another one first, then remove it.");
            return;
        }
        run("Removing " + e.id(), listener -> {
            store.remove(e.id());
            return e;
        }, r -> {
            refresh();
            info("Removed " + r.id() + " (" + Digests.human(r.sizeBytes()) + " freed).");
        });
    }

    /** Makes the package the studio's model through the settings path (loads it, remembers the choice). */
    public void use(ModelStore.Entry e) {
        if (e.problem() != null) {
            error(e.id() + " cannot be used: " + e.problem());
            return;
        }
        useModel.accept(e.dir());
        info("Loading " + e.id() + " as the studio's model…");
    }

    // ---------------------------------------------------------------- estimates and advice

    /** What the released 3B model needs per precision (dimensions of the release; audio tokenizer not counted). */
    public void estimateRelease() {
        ModelConfig c = DecodeBench.releaseWidth(RELEASE_LAYERS, DecodeBench.releaseTokens());
        Map<Precision, ResourceEstimator.Estimate> est = ResourceEstimator.estimateAll(c, 0, 0, options.contextTokens());
        showEstimates(est, "the released Higgs Audio v2 3B (" + RELEASE_REPO + "; audio tokenizer not counted)");
    }

    private void showEstimates(Map<Precision, ResourceEstimator.Estimate> est, String basis) {
        PrecisionAdvisor.MachineInfo m = PrecisionAdvisor.MachineInfo.detect(usesCuda());
        PrecisionAdvisor.Advice a = PrecisionAdvisor.advise(m, PrecisionAdvisor.ramOf(est), bench());
        List<EstimateRow> rows = new ArrayList<>();
        for (PrecisionAdvisor.Option o : a.options()) {
            ResourceEstimator.Estimate e = est.get(o.precision());
            if (e == null) continue;
            BenchResults.Result r = o.measured();
            String measured = r == null ? null : String.format(Locale.ROOT, "%.2f× real-time (%s, %d threads)", r.realtimeFactor(), r.model(), r.threads());
            rows.add(new EstimateRow(o.precision(), e.diskBytes(), e.ramBytes(), o.fits(), o.precision() == a.recommended(), measured));
        }
        estimateBasis.set(basis);
        estimates.setAll(rows);
        advised.set(a.recommended());
        BenchResults.Result r = a.options().get(a.recommended().ordinal()).measured();
        advice.set("Advised: " + a.recommended() + " — " + a.reason() + "."
                + (r == null ? " Speed not measured on this machine yet (./narrator bench measures it)."
                : String.format(Locale.ROOT, " Measured here: %.2f× real-time.", r.realtimeFactor()))
                + String.format(Locale.ROOT, " This machine: %s RAM, %d CPUs.", Digests.human(m.totalRamBytes()), m.cpus()));
        if (precision.get() == null) {
            planning = true;
            try {
                precision.set(a.recommended());
            } finally {
                planning = false;
            }
        }
    }

    private boolean usesCuda() {
        BackendInfo b = backend.get();
        return b != null && b.device() == Device.CUDA;
    }

    private void updateDevice() {
        BackendInfo b = backend.get();
        device.set(b == null || b.packageDir() == null ? "Device: not known until a model is loaded."
                : "Will run on " + b.device() + " — " + b.deviceReason());
    }

    private BenchResults bench() {
        try {
            return BenchResults.read(options.benchFile());
        } catch (IOException e) {
            return BenchResults.empty();
        }
    }

    // ---------------------------------------------------------------- import

    /**
     * The checkpoint folder of a downloaded generation model. Guesses the audio tokenizer beside it (the download's
     * {@code bosonai__higgs-audio-v2-tokenizer}) and the text tokenizer inside it when they are not chosen yet.
     */
    public void chooseCheckpoint(Path dir) {
        checkpointDir.set(dir);
        if (tokenizer.get() == null && Files.isRegularFile(dir.resolve("tokenizer.json"))) tokenizer.set(dir.resolve("tokenizer.json"));
        Path parent = dir.toAbsolutePath().getParent();
        Path guess = parent == null ? null : parent.resolve(RELEASE_CODEC_REPO.replace("/", "__"));
        if (codecDir.get() == null && guess != null && Files.isDirectory(guess)) codecDir.set(guess);
        planImport();
    }

    /** Reads the checkpoint's configuration and estimates it per precision; fills {@link #blockers}. */
    public ModelStore.ImportPlan planImport() {
        blockers.clear();
        Path ckpt = checkpointDir.get();
        if (ckpt == null) {
            blockers.add("choose the downloaded generation model's folder (holding config.json and the safetensors)");
            return null;
        }
        if (codecDir.get() == null) blockers.add("choose the audio tokenizer's folder (" + RELEASE_CODEC_REPO + ")");
        if (tokenizer.get() == null) blockers.add("choose the text tokenizer (tokenizer.json, shipped with the generation model)");
        if (!blockers.isEmpty()) return null;
        try {
            Precision p = precision.get() == null ? Precision.INT4 : precision.get();
            ModelStore.ImportPlan plan = installer.plan(new ModelStore.ImportRequest(ckpt, codecDir.get(), tokenizer.get(), p, null));
            showEstimates(plan.estimates(), ckpt.toString());
            if (precision.get() != p) return planImport(); // the advice chose another precision: plan that one
            blockers.setAll(plan.blockers());
            return plan;
        } catch (IOException | RuntimeException e) {
            blockers.add(StudioViewModel.message(e));
            return null;
        }
    }

    /** Converts, verifies and installs the checkpoint, then makes it the studio's model. Cancel-safe. */
    public void importCheckpoint() {
        ModelStore.ImportPlan plan = planImport();
        if (plan == null || !plan.blockers().isEmpty()) {
            error("Cannot import: " + String.join("; ", blockers));
            return;
        }
        run("Converting " + plan.request().checkpointDir().getFileName() + " (" + plan.request().precision() + ")",
                listener -> installer.install(plan, listener), e -> {
                    refresh();
                    selected.set(packages.stream().filter(x -> x.dir().equals(e.dir())).findFirst().orElse(e));
                    useModel.accept(e.dir());
                    info("Installed " + e.id() + " (" + e.precision() + ", " + Digests.human(e.sizeBytes()) + "); loading it as the studio's model.");
                });
    }

    // ---------------------------------------------------------------- download

    /**
     * Downloads the generation model and the audio tokenizer (resumable: a cancelled or broken download continues
     * where it stopped next time), then fills the import fields with them.
     */
    public void download() {
        String model = repo.get().strip(), codec = codecRepo.get().strip();
        Path modelDir = options.downloadsRoot().resolve(model.replace("/", "__"));
        Path codecOut = options.downloadsRoot().resolve(codec.replace("/", "__"));
        run("Downloading " + model, listener -> {
            for (String[] r : new String[][] {{model, modelDir.toString()}, {codec, codecOut.toString()}}) {
                installer.download(r[0], "main", Path.of(r[1]), List.of(), p -> {
                    listener.update("download " + r[0] + " (" + p.filesDone() + "/" + p.filesTotal() + " files"
                            + (Double.isNaN(p.etaSeconds()) ? "" : String.format(Locale.ROOT, ", %.0f s left", p.etaSeconds())) + ")",
                            p.bytesDone(), p.bytesTotal());
                });
            }
            return modelDir;
        }, dir -> {
            codecDir.set(codecOut);
            chooseCheckpoint(dir);
            info("Downloaded " + model + " and " + codec + " to " + options.downloadsRoot() + ". Choose a precision and import.");
        });
    }

    // ---------------------------------------------------------------- running

    /** Stops the running import or download; nothing half-done is installed. */
    public void cancel() {
        cancelled.set(true);
        installer.cancel();
        Thread t = worker.get();
        if (t != null) t.interrupt();
    }

    @FunctionalInterface
    private interface Work<T> {
        T run(ProgressListener listener) throws Exception;
    }

    private <T> void run(String what, Work<T> work, Consumer<T> done) {
        if (busy.get()) {
            error("Busy: wait for the current task or cancel it.");
            return;
        }
        busy.set(true);
        cancelled.set(false);
        progress.set(-1);
        progressText.set(what + "…");
        info(what + "…");
        long[] lastPost = {0};
        String[] lastStage = {""};
        ProgressListener listener = (stage, doneBytes, total) -> {
            if (cancelled.get()) throw new CancellationException(what + " cancelled");
            double f = total > 0 ? Math.min(1.0, (double) doneBytes / total) : -1;
            long now = System.nanoTime();
            // converters report per block: hand the UI at most ~20 updates a second, but always the stage changes and the end
            if (!stage.equals(lastStage[0]) || f >= 1.0 || now - lastPost[0] > 50_000_000L) {
                lastPost[0] = now;
                lastStage[0] = stage;
                String text = stage + (total > 0 ? " — " + Digests.human(doneBytes) + " of " + Digests.human(total) : "");
                exec.onUi(() -> {
                    progress.set(f);
                    progressText.set(text);
                });
            }
        };
        exec.submit(() -> {
            worker.set(Thread.currentThread());
            try {
                return work.run(listener);
            } finally {
                worker.set(null);
                Thread.interrupted(); // a cancel's interrupt must not leak into the executor's next task
            }
        }, r -> {
            busy.set(false);
            progress.set(1);
            done.accept(r);
        }, e -> {
            busy.set(false);
            progress.set(0);
            if (cancelled.get() || e instanceof CancellationException || e instanceof InterruptedException) {
                progressText.set("Cancelled.");
                error(what + " cancelled; nothing was installed.");
            } else {
                progressText.set("Failed.");
                error(what + " failed: " + StudioViewModel.message(e));
            }
            refresh();
        });
    }

    private void info(String s) {
        statusIsError.set(false);
        status.set(s);
    }

    private void error(String s) {
        statusIsError.set(true);
        status.set(s);
    }
}
