package org.higgsnarrator.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class RuntimeOptionsTest {
    @Test
    void autoSpinningIsOffOnSmallMachinesAndExplicitSettingsWin() {
        RuntimeOptions.Spinning auto = RuntimeOptions.defaults().spinning();
        assertEquals(RuntimeOptions.Spinning.AUTO, auto);
        assertFalse(auto.resolve(2), "2 CPUs: a spinning pool steals the core the work needs");
        assertFalse(auto.resolve(RuntimeOptions.SPIN_MIN_CORES));
        assertTrue(auto.resolve(RuntimeOptions.SPIN_MIN_CORES + 1));
        assertTrue(RuntimeOptions.Spinning.ON.resolve(2));
        assertFalse(RuntimeOptions.Spinning.OFF.resolve(64));
        assertEquals(RuntimeOptions.Spinning.OFF, RuntimeOptions.Spinning.parse("Off"));
        var e = assertThrows(IllegalArgumentException.class, () -> RuntimeOptions.Spinning.parse("sometimes"));
        assertTrue(e.getMessage().contains("auto, on or off"), e.getMessage());
    }

    @Test
    void withersKeepTheOtherSettings() {
        RuntimeOptions o = RuntimeOptions.defaults().withThreads(3).withSpinning(RuntimeOptions.Spinning.ON).withPrepackPrefill(false)
                .withDevice(Device.CPU);
        assertEquals(3, o.intraOpThreads());
        assertEquals(RuntimeOptions.Spinning.ON, o.spinning());
        assertFalse(o.prepackPrefill());
        assertEquals(Device.CPU, o.device());
    }
}
