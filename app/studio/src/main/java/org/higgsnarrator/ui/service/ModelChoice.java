package org.higgsnarrator.ui.service;

import java.nio.file.Path;
import org.higgsnarrator.runtime.Device;

/**
 * Which model package to load and how.
 *
 * @param packageDir folder holding manifest.json
 * @param device     AUTO: CUDA when it works, else CPU (the reason is reported either way)
 * @param threads    intra-op threads, 0 = runtime default
 * @param segmentsAtOnce segments decoded together in one batch on this computer (book render, render queue): 0 = the
 *                   model's proposal (up to 4 as memory allows), 1 = one at a time (each take exactly its single render)
 *
 * <p>There is no precision here: a package holds one precision, chosen when it is converted (Models dialog,
 * {@code ./narrator models import --precision}); loading another precision means choosing another package.
 */
public record ModelChoice(Path packageDir, Device device, int threads, int segmentsAtOnce) {
    /** The most segments at once a choice may ask for. */
    public static final int MAX_SEGMENTS_AT_ONCE = 8;

    public ModelChoice {
        if (packageDir == null) throw new IllegalArgumentException("no model package chosen");
        if (device == null) device = Device.AUTO;
        if (threads < 0) throw new IllegalArgumentException("threads must be ≥ 0, got " + threads);
        if (segmentsAtOnce < 0 || segmentsAtOnce > MAX_SEGMENTS_AT_ONCE)
            throw new IllegalArgumentException("segments at once must be 0 (automatic) to " + MAX_SEGMENTS_AT_ONCE + ", got " + segmentsAtOnce);
    }

    /** Segments at once as the model proposes. */
    public ModelChoice(Path packageDir, Device device, int threads) {
        this(packageDir, device, threads, 0);
    }
}
