package org.higgsnarrator.ui.service;

import java.nio.file.Path;

/**
 * Which model package to load and how.
 *
 * @param packageDir folder holding manifest.json
 * @param device     AUTO: CUDA when it works, else CPU (the reason is reported either way)
 * @param precision  preferred precision where the package offers several; "auto" = as packaged
 * @param threads    intra-op threads, 0 = runtime default
 */
public record ModelChoice(Path packageDir, Device device, String precision, int threads) {
    public enum Device { AUTO, CPU, CUDA }

    public ModelChoice {
        if (packageDir == null) throw new IllegalArgumentException("no model package chosen");
        if (device == null) device = Device.AUTO;
        if (precision == null || precision.isBlank()) precision = "auto";
        if (threads < 0) throw new IllegalArgumentException("threads must be ≥ 0, got " + threads);
    }
}
