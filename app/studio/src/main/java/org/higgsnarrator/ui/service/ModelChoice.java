package org.higgsnarrator.ui.service;

import java.nio.file.Path;
import org.higgsnarrator.runtime.Device;

/**
 * Which model package to load and how.
 *
 * @param packageDir folder holding manifest.json
 * @param device     AUTO: CUDA when it works, else CPU (the reason is reported either way)
 * @param threads    intra-op threads, 0 = runtime default
 *
 * <p>There is no precision here: a package holds one precision, chosen when it is converted (Models dialog,
 * {@code ./narrator models import --precision}); loading another precision means choosing another package.
 */
public record ModelChoice(Path packageDir, Device device, int threads) {

    public ModelChoice {
        if (packageDir == null) throw new IllegalArgumentException("no model package chosen");
        if (device == null) device = Device.AUTO;
        if (threads < 0) throw new IllegalArgumentException("threads must be ≥ 0, got " + threads);
    }
}
