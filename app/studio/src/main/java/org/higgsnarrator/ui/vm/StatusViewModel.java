package org.higgsnarrator.ui.vm;

import javafx.beans.property.ReadOnlyBooleanProperty;
import javafx.beans.property.ReadOnlyBooleanWrapper;
import javafx.beans.property.ReadOnlyStringProperty;
import javafx.beans.property.ReadOnlyStringWrapper;

/**
 * The status line every area reports to: the last message (information or error) and whether slow work is under
 * way. Views bind to it; view models call {@link #info}, {@link #error} and {@link #busy}.
 */
public final class StatusViewModel {
    private final ReadOnlyStringWrapper message = new ReadOnlyStringWrapper("Create a project (Ctrl+N) or open one (Ctrl+O).");
    private final ReadOnlyBooleanWrapper error = new ReadOnlyBooleanWrapper(false);
    private final ReadOnlyBooleanWrapper busy = new ReadOnlyBooleanWrapper(false);

    public ReadOnlyStringProperty messageProperty() {
        return message.getReadOnlyProperty();
    }

    public String message() {
        return message.get();
    }

    /** Whether {@link #message()} reports an error (shown in red). */
    public ReadOnlyBooleanProperty errorProperty() {
        return error.getReadOnlyProperty();
    }

    public boolean isError() {
        return error.get();
    }

    public ReadOnlyBooleanProperty busyProperty() {
        return busy.getReadOnlyProperty();
    }

    public void info(String s) {
        error.set(false);
        message.set(s);
    }

    public void error(String s) {
        error.set(true);
        message.set(s);
    }

    void busy(boolean b) {
        busy.set(b);
    }

    /** The most useful message of a failure (the first cause that has one). */
    public static String message(Throwable e) {
        Throwable t = e;
        while (t.getCause() != null && t.getMessage() == null) t = t.getCause();
        return t.getMessage() == null ? t.toString() : t.getMessage();
    }
}
