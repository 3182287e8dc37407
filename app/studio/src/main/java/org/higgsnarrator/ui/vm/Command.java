package org.higgsnarrator.ui.vm;

import javafx.beans.binding.Bindings;
import javafx.beans.binding.BooleanBinding;
import javafx.beans.value.ObservableBooleanValue;

/**
 * An action a view can trigger, with whether it can run now (as mvvmFX's / JabRef's commands): a view binds a
 * button's or menu item's {@code disable} to {@link #disabledProperty()} and calls {@link #execute()}.
 * {@link #execute()} does nothing while the command is not executable, so a stale shortcut cannot bypass the rule.
 */
public final class Command {
    private final Runnable action;
    private final BooleanBinding executable;
    private final BooleanBinding disabled;

    public Command(Runnable action, ObservableBooleanValue executable) {
        this.action = action;
        this.executable = Bindings.createBooleanBinding(executable::get, executable);
        this.disabled = this.executable.not();
    }

    /** A command that can always run. */
    public Command(Runnable action) {
        this(action, Bindings.createBooleanBinding(() -> true));
    }

    public BooleanBinding executableProperty() {
        return executable;
    }

    public BooleanBinding disabledProperty() {
        return disabled;
    }

    public boolean isExecutable() {
        return executable.get();
    }

    public void execute() {
        if (executable.get()) action.run();
    }
}
