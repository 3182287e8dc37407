package org.higgsnarrator.ui.view;

import javafx.geometry.Insets;
import javafx.scene.control.Button;
import javafx.scene.control.ComboBox;
import javafx.scene.control.Label;
import javafx.scene.control.ListView;
import javafx.scene.control.TextArea;
import javafx.scene.control.TextField;
import javafx.scene.layout.FlowPane;
import javafx.scene.layout.GridPane;
import javafx.scene.layout.HBox;
import javafx.scene.layout.Priority;
import javafx.scene.layout.VBox;
import org.higgsnarrator.ui.vm.CastViewModel;
import org.higgsnarrator.ui.vm.ProjectViewModel;
import org.higgsnarrator.ui.vm.VoiceProfile;
import org.higgsnarrator.ui.vm.VoiceViewModel;

/**
 * The voice library (a drop target: a dropped recording becomes a cloned voice) and the selected voice's details:
 * the transcript of a cloned voice (required), or the profile of a described voice with a composer for it.
 */
public final class VoicePane extends VBox {
    public final ListView<VoiceViewModel> list = new ListView<>();
    public final TextArea transcript = new TextArea();
    public final TextArea description = new TextArea();
    private final TextField name = new TextField();
    private final Label warnings = new Label();
    private final Label kind = new Label();
    private final VBox clonedBox;
    private final VBox describedBox;
    private VoiceViewModel bound;

    public VoicePane(CastViewModel vm, ProjectViewModel project, Dialogs dialogs) {
        getStyleClass().add("side-section");
        setSpacing(6);
        setPadding(new Insets(8));
        Label head = new Label("Voice library");
        head.getStyleClass().add("section-title");
        list.setId("voices");
        list.setItems(vm.voices());
        list.setPrefHeight(150);
        list.setPlaceholder(new Label("Drop a recording here\n(WAV, MP3, FLAC)"));
        list.getStyleClass().add("drop-zone");
        FileDrop.install(list, files -> vm.dropAudioFiles(files, null));
        list.getSelectionModel().selectedItemProperty().addListener((o, a, v) -> vm.selectVoice(v));
        vm.selectedVoiceProperty().addListener((o, a, v) -> {
            list.getSelectionModel().select(v);
            bind(v);
        });

        Button clone = new Button("Clone from file…");
        clone.setId("cloneFromFile");
        clone.disableProperty().bind(project.projectOpenProperty().not());
        clone.setOnAction(e -> {
            var files = dialogs.audioFiles();
            if (!files.isEmpty()) vm.dropAudioFiles(files, null);
        });
        Button describe = new Button("Describe a voice");
        describe.setId("describeVoice");
        StudioWindow.bind(describe, vm.describeVoiceCommand);
        Button remove = new Button("Remove");
        StudioWindow.bind(remove, vm.removeVoiceCommand);
        Button preview = new Button("Preview voice");
        preview.setId("previewVoice");
        preview.setTooltip(new javafx.scene.control.Tooltip("Render a short sentence with this voice (needs a model that renders)"));
        StudioWindow.bind(preview, vm.previewVoiceCommand);
        FlowPane buttons = new FlowPane(6, 6, clone, describe, preview, remove);

        name.setId("voiceName");
        name.setPromptText("Voice name");
        kind.getStyleClass().add("hint");

        transcript.setId("transcript");
        transcript.setWrapText(true);
        transcript.setPrefRowCount(4);
        transcript.setPromptText("Required: type exactly what is said in the clip. The model clones a voice from the recording and its words.");
        warnings.setWrapText(true);
        warnings.getStyleClass().add("warning-text");
        Label tl = new Label("_Transcript (required)");
        tl.setMnemonicParsing(true);
        tl.setLabelFor(transcript);
        clonedBox = new VBox(4, tl, transcript, warnings);

        description.setId("description");
        description.setWrapText(true);
        description.setPrefRowCount(3);
        description.setPromptText("e.g. " + VoiceProfile.MALE_EN);
        ComboBox<String> gender = combo(VoiceProfile.GENDERS, "Gender"), accent = combo(VoiceProfile.ACCENTS, "Accent"),
                rate = combo(VoiceProfile.RATES, "Rate"), pitch = combo(VoiceProfile.PITCHES, "Pitch"),
                tone = combo(VoiceProfile.TONES, "Tone"), quality = combo(VoiceProfile.QUALITIES, "Audio");
        GridPane g = new GridPane(6, 6);
        g.addRow(0, gender, accent, rate);
        g.addRow(1, pitch, tone, quality);
        Button compose = new Button("Compose description");
        compose.setOnAction(e -> description.setText(VoiceProfile.compose(gender.getValue(), accent.getValue(), rate.getValue(),
                pitch.getValue(), tone.getValue(), quality.getValue())));
        Label dl = new Label("_Description (gender, accent, pitch, timbre, tone)");
        dl.setMnemonicParsing(true);
        dl.setLabelFor(description);
        describedBox = new VBox(4, dl, description, g, compose);

        VBox.setVgrow(list, Priority.ALWAYS);
        getChildren().addAll(head, list, buttons, new HBox(6, name), kind, clonedBox, describedBox);
        HBox.setHgrow(name, Priority.ALWAYS);
        bind(null);
    }

    private static ComboBox<String> combo(java.util.List<String> items, String prompt) {
        ComboBox<String> c = new ComboBox<>();
        c.getItems().add("");
        c.getItems().addAll(items);
        c.setPromptText(prompt);
        c.setPrefWidth(105);
        return c;
    }

    private void bind(VoiceViewModel v) {
        if (bound != null) {
            name.textProperty().unbindBidirectional(bound.name);
            transcript.textProperty().unbindBidirectional(bound.transcript);
            description.textProperty().unbindBidirectional(bound.description);
        }
        bound = v;
        boolean none = v == null;
        name.setDisable(none);
        clonedBox.setVisible(!none && v.isCloned());
        clonedBox.setManaged(clonedBox.isVisible());
        describedBox.setVisible(!none && !v.isCloned());
        describedBox.setManaged(describedBox.isVisible());
        if (none) {
            name.clear();
            kind.setText("Select a voice, drop a recording, or describe a voice.");
            return;
        }
        name.textProperty().bindBidirectional(v.name);
        if (v.isCloned()) {
            transcript.textProperty().bindBidirectional(v.transcript);
            kind.setText(String.format("Cloned from %s · %.1f s at 24 kHz", v.source == null ? "?" : java.nio.file.Path.of(v.source).getFileName(), v.seconds));
            warnings.setText(v.warnings.isEmpty() ? "" : "Prepared: " + String.join("; ", v.warnings));
        } else {
            description.textProperty().bindBidirectional(v.description);
            kind.setText("Described in words (goes into the scene block as the speaker's profile)");
        }
    }
}
