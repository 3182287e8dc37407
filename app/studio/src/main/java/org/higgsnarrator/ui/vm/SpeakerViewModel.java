package org.higgsnarrator.ui.vm;

import javafx.beans.Observable;
import javafx.beans.property.ReadOnlyObjectProperty;
import javafx.beans.property.ReadOnlyObjectWrapper;
import javafx.beans.property.ReadOnlyStringProperty;
import javafx.beans.property.ReadOnlyStringWrapper;
import org.higgsnarrator.project.Project.Speaker;

/** A member of the cast and the voice it reads with (null: the model picks). Changed through {@link CastViewModel}. */
public final class SpeakerViewModel {
    public final String id;
    private final ReadOnlyStringWrapper name = new ReadOnlyStringWrapper("");
    private final ReadOnlyObjectWrapper<VoiceViewModel> voice = new ReadOnlyObjectWrapper<>();

    SpeakerViewModel(String id, String name) {
        this.id = id;
        this.name.set(name);
    }

    public ReadOnlyStringProperty nameProperty() {
        return name.getReadOnlyProperty();
    }

    public String name() {
        return name.get();
    }

    public ReadOnlyObjectProperty<VoiceViewModel> voiceProperty() {
        return voice.getReadOnlyProperty();
    }

    public VoiceViewModel voice() {
        return voice.get();
    }

    void setVoice(VoiceViewModel v) {
        voice.set(v);
    }

    Observable[] observables() {
        return new Observable[] {name, voice};
    }

    public Speaker toSpeaker() {
        return new Speaker(id, name.get(), voice.get() == null ? null : voice.get().id);
    }

    @Override
    public String toString() {
        return name.get();
    }
}
