package org.higgsnarrator.ui.vm;

import java.util.List;
import javafx.beans.Observable;
import javafx.beans.property.SimpleStringProperty;
import javafx.beans.property.StringProperty;
import org.higgsnarrator.project.Project.Voice;
import org.higgsnarrator.project.Project.VoiceKind;

/** A voice of the library. Name, description and transcript are the author's input (views bind them bidirectionally). */
public final class VoiceViewModel {
    public final String id;
    public final VoiceKind kind;
    public final StringProperty name = new SimpleStringProperty("");
    public final StringProperty description = new SimpleStringProperty("");
    /** Cloned voices: what is said in the clip. Required before rendering with this voice. */
    public final StringProperty transcript = new SimpleStringProperty("");
    /** Cloned voices: prepared clip relative to the assets folder. */
    public final String clip;
    public final String source;
    public final double seconds;
    public final String cacheKey;
    public final List<String> warnings;

    public VoiceViewModel(Voice v) {
        id = v.id();
        kind = v.kind();
        name.set(v.name());
        description.set(v.description());
        transcript.set(v.transcript());
        clip = v.clip();
        source = v.source();
        seconds = v.seconds();
        cacheKey = v.cacheKey();
        warnings = v.warnings();
    }

    /** What a change of marks the project unsaved (description and transcript also change segment hashes). */
    Observable[] observables() {
        return new Observable[] {name, description, transcript};
    }

    public Voice toVoice() {
        return new Voice(id, name.get(), kind, description.get(), clip, transcript.get(), source, seconds, cacheKey, warnings);
    }

    public boolean isCloned() {
        return kind == VoiceKind.CLONED;
    }

    /** Null when the voice can be used; otherwise what the author must do. */
    public String problem() {
        if (isCloned() && transcript.get().isBlank()) {
            return "Voice '" + name.get() + "' needs its transcript: type exactly what is said in the clip (Voices panel) — the model clones from clip + transcript.";
        }
        if (!isCloned() && description.get().isBlank()) {
            return "Voice '" + name.get() + "' has no description: describe gender, accent, pitch and tone.";
        }
        return null;
    }

    @Override
    public String toString() {
        return name.get() + (isCloned() ? String.format(" (clone, %.1f s)", seconds) : " (described)");
    }
}
