package org.higgsnarrator.ui.vm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.concurrent.atomic.AtomicInteger;
import javafx.beans.property.SimpleBooleanProperty;
import org.junit.jupiter.api.Test;

class CommandTest {
    @Test
    void runsOnlyWhileExecutableAndDisabledFollows() {
        SimpleBooleanProperty can = new SimpleBooleanProperty(false);
        AtomicInteger runs = new AtomicInteger();
        Command c = new Command(runs::incrementAndGet, can);
        assertFalse(c.isExecutable());
        assertTrue(c.disabledProperty().get());
        c.execute();
        assertEquals(0, runs.get(), "a disabled command does nothing (a stale shortcut cannot bypass the rule)");
        can.set(true);
        assertTrue(c.executableProperty().get());
        assertFalse(c.disabledProperty().get());
        c.execute();
        assertEquals(1, runs.get());
        assertTrue(new Command(() -> {}).isExecutable(), "without a condition a command can always run");
    }
}
