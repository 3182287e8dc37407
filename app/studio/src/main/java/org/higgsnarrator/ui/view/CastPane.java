package org.higgsnarrator.ui.view;

import javafx.beans.binding.Bindings;
import javafx.geometry.Insets;
import javafx.scene.control.Button;
import javafx.scene.control.ComboBox;
import javafx.scene.control.Label;
import javafx.scene.control.ListCell;
import javafx.scene.control.ListView;
import javafx.scene.control.TextField;
import javafx.scene.control.Tooltip;
import javafx.scene.layout.HBox;
import javafx.scene.layout.Priority;
import javafx.scene.layout.Region;
import javafx.scene.layout.VBox;
import org.higgsnarrator.ui.vm.CastViewModel;
import org.higgsnarrator.ui.vm.ProjectViewModel;
import org.higgsnarrator.ui.vm.SpeakerViewModel;
import org.higgsnarrator.ui.vm.VoiceViewModel;

/** The cast: speakers in [SPEAKERn] order, each a drop target for a voice recording, and the voice each one uses. */
public final class CastPane extends VBox {
    public final ListView<SpeakerViewModel> list = new ListView<>();

    public CastPane(CastViewModel vm, ProjectViewModel project) {
        getStyleClass().add("side-section");
        setSpacing(6);
        Label head = new Label("Cast");
        head.getStyleClass().add("section-title");
        Label hint = new Label("Drop a WAV/MP3/FLAC on a speaker to clone its voice.");
        hint.getStyleClass().add("hint");
        hint.setWrapText(true);
        hint.setMinHeight(Region.USE_PREF_SIZE);
        list.setId("cast");
        list.setItems(vm.speakers());
        list.setPrefHeight(180);
        list.setCellFactory(lv -> new SpeakerCell(vm));
        list.setAccessibleText("Speakers");

        TextField name = new TextField();
        name.setId("newSpeaker");
        name.setPromptText("New speaker name");
        Button add = new Button("Add");
        add.setId("addSpeaker");
        add.setOnAction(e -> {
            if (vm.addSpeaker(name.getText()) != null) name.clear();
        });
        name.setOnAction(add.getOnAction());
        add.disableProperty().bind(project.projectOpenProperty().not());
        Button remove = new Button("Remove speaker");
        StudioWindow.bind(remove, vm.removeSpeakerCommand);
        list.getSelectionModel().selectedItemProperty().addListener((o, a, s) -> vm.selectSpeaker(s));
        HBox.setHgrow(name, Priority.ALWAYS);
        HBox addRow = new HBox(6, name, add);

        ComboBox<VoiceViewModel> voice = new ComboBox<>(vm.voices());
        voice.setId("speakerVoice");
        voice.setPromptText("Voice: model chooses");
        voice.setMaxWidth(Double.MAX_VALUE);
        voice.disableProperty().bind(vm.selectedSpeakerProperty().isNull());
        vm.selectedSpeakerProperty().addListener((o, a, s) -> voice.setValue(s == null ? null : s.voice()));
        voice.setOnAction(e -> vm.assignVoice(vm.selectedSpeakerProperty().get(), voice.getValue()));
        Button auto = new Button("Model chooses");
        auto.setTooltip(new Tooltip("Let the model pick a voice for this speaker"));
        auto.disableProperty().bind(voice.disableProperty());
        auto.setOnAction(e -> {
            vm.assignVoice(vm.selectedSpeakerProperty().get(), null);
            voice.setValue(null);
        });
        HBox.setHgrow(voice, Priority.ALWAYS);
        HBox voiceRow = new HBox(6, voice);
        HBox manageRow = new HBox(6, auto, remove);
        VBox.setVgrow(list, Priority.ALWAYS);
        getChildren().addAll(head, hint, list, addRow, voiceRow, manageRow);
        setPadding(new Insets(8));
    }

    /** One speaker: colour chip, name, voice; the whole cell takes file drops. */
    private static final class SpeakerCell extends ListCell<SpeakerViewModel> {
        private final Label name = new Label();
        private final Label voice = new Label();
        private final Region chip = new Region();
        private final VBox text = new VBox(1, name, voice);
        private final HBox box = new HBox(8, chip, text);

        SpeakerCell(CastViewModel vm) {
            chip.getStyleClass().add("speaker-chip");
            chip.setMinSize(10, 10);
            chip.setMaxSize(10, 10);
            name.getStyleClass().add("speaker-name");
            voice.getStyleClass().add("hint");
            getStyleClass().add("speaker-cell");
            FileDrop.install(this, files -> {
                if (getItem() != null) vm.dropAudioFiles(files, getItem());
            });
        }

        @Override
        protected void updateItem(SpeakerViewModel s, boolean empty) {
            super.updateItem(s, empty);
            name.textProperty().unbind();
            voice.textProperty().unbind();
            chip.getStyleClass().removeIf(c -> c.startsWith("spk-"));
            if (empty || s == null) {
                setGraphic(null);
                setId(null);
                return;
            }
            int i = getListView().getItems().indexOf(s);
            chip.getStyleClass().add("spk-" + (i % 6));
            setId("speaker-" + i);
            name.textProperty().bind(s.nameProperty());
            String tag = "[SPEAKER" + i + "]" + (i == 0 ? " narration" : "") + " · ";
            voice.textProperty().bind(Bindings.createStringBinding(
                    () -> tag + (s.voice() == null ? "model chooses" : "voice: " + s.voice().name.get()), s.voiceProperty()));
            setGraphic(box);
        }
    }
}
