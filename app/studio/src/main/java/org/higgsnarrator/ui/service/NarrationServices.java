package org.higgsnarrator.ui.service;

import java.util.ServiceLoader;

/**
 * Picks the narration service: the first {@link NarrationService} registered through
 * {@code META-INF/services/org.higgsnarrator.ui.service.NarrationService} (the engine adapter), otherwise
 * {@link BasicNarrationService}, which does everything but render.
 */
public final class NarrationServices {
    private NarrationServices() {}

    public static NarrationService create() {
        for (NarrationService s : ServiceLoader.load(NarrationService.class)) return s;
        return new BasicNarrationService();
    }

    /** True when an engine adapter is on the classpath (tests that need a render assume this). */
    public static boolean engineAvailable() {
        return ServiceLoader.load(NarrationService.class).findFirst().isPresent();
    }
}
