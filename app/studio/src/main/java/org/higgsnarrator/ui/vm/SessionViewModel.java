package org.higgsnarrator.ui.vm;

import java.io.IOException;
import java.nio.file.Path;
import javafx.beans.property.ReadOnlyObjectProperty;
import javafx.beans.property.ReadOnlyObjectWrapper;
import javafx.collections.FXCollections;
import javafx.collections.ObservableList;
import org.higgsnarrator.runtime.Device;
import org.higgsnarrator.ui.AppSettings;
import org.higgsnarrator.ui.concurrent.BackgroundExecutor;
import org.higgsnarrator.ui.service.BackendInfo;
import org.higgsnarrator.ui.service.ModelChoice;
import org.higgsnarrator.ui.service.NarrationService;

/**
 * What outlives a project: the loaded model (the backend every render goes to) and the app settings (model choice,
 * recent projects), written to the settings file whenever they change.
 */
public final class SessionViewModel {
    private final ReadOnlyObjectWrapper<BackendInfo> backend = new ReadOnlyObjectWrapper<>();
    private final ReadOnlyObjectWrapper<AppSettings> appSettings = new ReadOnlyObjectWrapper<>();
    private final ObservableList<Path> recent = FXCollections.observableArrayList();
    private final ObservableList<Path> recentView = FXCollections.unmodifiableObservableList(recent);
    private final NarrationService service;
    private final BackgroundExecutor exec;
    private final StatusViewModel status;
    private final Path settingsFile;

    SessionViewModel(NarrationService service, BackgroundExecutor exec, StatusViewModel status, Path settingsFile) {
        this.service = service;
        this.exec = exec;
        this.status = status;
        this.settingsFile = settingsFile;
        backend.set(service.backend());
        AppSettings s = AppSettings.load(settingsFile);
        appSettings.set(s);
        for (String r : s.recent()) recent.add(Path.of(r));
    }

    /** The loaded model (or why there is none); null before the first load finished. */
    public ReadOnlyObjectProperty<BackendInfo> backendProperty() {
        return backend.getReadOnlyProperty();
    }

    public BackendInfo backend() {
        return backend.get();
    }

    public ReadOnlyObjectProperty<AppSettings> appSettingsProperty() {
        return appSettings.getReadOnlyProperty();
    }

    public AppSettings appSettings() {
        return appSettings.get();
    }

    /** Most recent first. */
    public ObservableList<Path> recentProjects() {
        return recentView;
    }

    /** Loads the model package of the choice and remembers the choice (the bundled package is remembered as the default). */
    public void loadModel(ModelChoice choice) {
        status.busy(true);
        status.info("Loading model " + choice.packageDir() + "…");
        exec.submit(() -> service.loadModel(choice), b -> {
            status.busy(false);
            backend.set(b);
            AppSettings s = appSettings.get();
            String pkg = choice.packageDir().toAbsolutePath().normalize().equals(AppSettings.bundledModel().toAbsolutePath().normalize())
                    ? null : choice.packageDir().toString();
            appSettings.set(s.withModel(pkg, choice.device(), choice.threads()));
            persist();
            if (b.randomWeights()) {
                status.info("Loaded '" + b.modelName() + "' on " + b.deviceName() + ": a random-weight TEST model — it exercises the pipeline but does not speak. "
                        + "Get the real model: File → Models… (Ctrl+M). " + b.deviceReason());
            } else {
                status.info("Loaded '" + b.modelName() + "' on " + b.deviceName() + ". " + b.deviceReason());
            }
        }, e -> {
            status.busy(false);
            backend.set(BackendInfo.nothingLoaded("Model not loaded: " + StatusViewModel.message(e)));
            status.error("Could not load model: " + StatusViewModel.message(e));
        });
    }

    /** Loads the model of the settings (bundled tiny package unless another was chosen), if it is there. */
    public void loadDefaultModel() {
        ModelChoice choice = currentModelChoice();
        if (org.higgsnarrator.pkg.PackageManifest.isPackage(choice.packageDir())) {
            loadModel(choice);
        } else {
            backend.set(BackendInfo.nothingLoaded("No model package at " + choice.packageDir()
                    + " — choose one in Settings (a folder made by './narrator export')."));
        }
    }

    /** Makes {@code dir} the studio's model (Models dialog), keeping the device and threads of the settings. */
    public void useModelPackage(Path dir) {
        ModelChoice c = currentModelChoice();
        loadModel(new ModelChoice(dir, c.device(), c.threads()));
    }

    /**
     * The Settings dialog's model fields: loads the package unless it is the one already loaded. False (with the
     * reason in the status line) when the fields do not make a choice.
     */
    public boolean applyModelChoice(String packageDir, Device device, int threads) {
        ModelChoice choice;
        try {
            choice = new ModelChoice(Path.of(packageDir.strip()), device, threads);
        } catch (RuntimeException e) {
            status.error("Settings not applied: " + e.getMessage());
            return false;
        }
        if (!choice.equals(currentModelChoice()) || backend.get() == null || backend.get().packageDir() == null) loadModel(choice);
        return true;
    }

    public ModelChoice currentModelChoice() {
        AppSettings s = appSettings.get();
        return new ModelChoice(s.modelPath(), s.device(), s.threads());
    }

    /** "name/precision" of the loaded model: part of every segment's content hash. */
    String modelId() {
        BackendInfo b = backend.get();
        return b == null ? "" : org.higgsnarrator.render.SegmentPlan.modelId(b);
    }

    /** Null when renders can run; otherwise why not. */
    String cannotRender() {
        BackendInfo b = backend.get();
        if (b == null || !b.canRender()) return "Cannot render: " + (b == null ? "no model loaded" : b.cannotRenderReason());
        return null;
    }

    void rememberRecent(Path file) {
        AppSettings s = appSettings.get().withRecent(file);
        appSettings.set(s);
        recent.setAll(s.recent().stream().map(Path::of).toList());
        persist();
    }

    private void persist() {
        try {
            appSettings.get().save(settingsFile);
        } catch (IOException e) {
            status.error("Could not save settings " + settingsFile + ": " + e.getMessage());
        }
    }
}
