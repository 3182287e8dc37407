package org.higgsnarrator.ui.vm;

import javafx.beans.property.ObjectProperty;
import javafx.beans.property.SimpleObjectProperty;
import javafx.beans.property.SimpleStringProperty;
import javafx.beans.property.StringProperty;
import org.higgsnarrator.project.Project.Speaker;

/** A member of the cast and the voice it reads with (null: the model picks). */
public final class SpeakerViewModel {
    public final String id;
    public final StringProperty name = new SimpleStringProperty("");
    public final ObjectProperty<VoiceViewModel> voice = new SimpleObjectProperty<>();

    public SpeakerViewModel(String id, String name) {
        this.id = id;
        this.name.set(name);
    }

    public Speaker toSpeaker() {
        return new Speaker(id, name.get(), voice.get() == null ? null : voice.get().id);
    }

    @Override
    public String toString() {
        return name.get();
    }
}
