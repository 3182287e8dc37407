package org.higgsnarrator.ui.service;

import java.nio.file.Path;
import org.higgsnarrator.pkg.PackageManifest.SamplingDefaults;
import org.higgsnarrator.pkg.Precision;
import org.higgsnarrator.runtime.Device;

/**
 * What the service has loaded, shown in the status bar and the settings dialog.
 *
 * @param modelName     package name from its manifest ("" when nothing is loaded)
 * @param packageDir    the package folder (null when nothing is loaded)
 * @param randomWeights true for test packages: the app says plainly that they do not speak
 * @param precision     precision of the package's matrices (null when nothing is loaded)
 * @param device        device in use (null when none: nothing loaded, or the engine could not open the package)
 * @param deviceReason  why this device: e.g. "CUDA requested but libcublasLt.so.12 missing — using CPU"
 * @param threads       intra-op threads in use (0 = runtime default)
 * @param canRender     whether {@link NarrationService#render} works
 * @param cannotRenderReason why not, in words for the user (null when it can)
 * @param sampling      the package's sampling defaults (null when nothing is loaded)
 */
public record BackendInfo(String modelName, Path packageDir, boolean randomWeights, Precision precision, Device device,
                          String deviceReason, int threads, boolean canRender, String cannotRenderReason, SamplingDefaults sampling) {

    /** Without sampling defaults (nothing loaded, or a test's stand-in). */
    public BackendInfo(String modelName, Path packageDir, boolean randomWeights, Precision precision, Device device,
                       String deviceReason, int threads, boolean canRender, String cannotRenderReason) {
        this(modelName, packageDir, randomWeights, precision, device, deviceReason, threads, canRender, cannotRenderReason, null);
    }

    public static BackendInfo nothingLoaded(String reason) {
        return new BackendInfo("", null, false, null, null, reason, 0, false, reason);
    }

    /** The device for people: CPU, CUDA or "none". */
    public String deviceName() {
        return device == null ? "none" : device.toString();
    }

    /** One line for the status bar. */
    public String summary() {
        if (packageDir == null) return "No model loaded";
        String s = modelName + " · " + precision + " · " + deviceName();
        if (randomWeights) s += " · random-weight TEST model (does not speak)";
        return s;
    }
}
