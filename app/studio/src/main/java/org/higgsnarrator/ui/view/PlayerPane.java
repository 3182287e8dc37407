package org.higgsnarrator.ui.view;

import javafx.application.Platform;
import javafx.beans.binding.Bindings;
import javafx.geometry.Insets;
import javafx.geometry.Pos;
import javafx.scene.control.Button;
import javafx.scene.control.Label;
import javafx.scene.layout.HBox;
import javafx.scene.layout.Priority;
import javafx.scene.layout.Region;
import javafx.scene.layout.VBox;
import javax.sound.sampled.LineUnavailableException;
import org.higgsnarrator.ui.audio.AudioPlayer;
import org.higgsnarrator.audio.AudioClip;
import org.higgsnarrator.ui.vm.PlayerViewModel;

/** Player: waveform with segment bands and playhead, play/stop, load the selected chapter's takes. */
public final class PlayerPane extends VBox {
    public final WaveformView waveform;
    private final AudioPlayer audio = new AudioPlayer();
    private final PlayerViewModel vm;

    public PlayerPane(PlayerViewModel vm) {
        this.vm = vm;
        setSpacing(6);
        setPadding(new Insets(8));
        waveform = new WaveformView(vm, this::seek);
        waveform.setId("waveform");
        Label head = new Label("Player");
        head.getStyleClass().add("section-title");
        Label title = new Label();
        title.setId("playerTitle");
        title.textProperty().bind(vm.titleProperty());
        Label pos = new Label();
        pos.setId("playerPosition");
        pos.textProperty().bind(Bindings.createStringBinding(() -> time(vm.positionProperty().get()) + " / " + time(vm.duration()),
                vm.positionProperty(), vm.clipProperty()));
        pos.getStyleClass().add("mono");
        Button play = new Button();
        play.setId("play");
        play.textProperty().bind(Bindings.when(vm.playingProperty()).then("■ Stop").otherwise("▶ Play"));
        play.disableProperty().bind(vm.clipProperty().isNull());
        play.setOnAction(e -> togglePlay());
        Button load = new Button("Load chapter");
        load.setId("loadChapter");
        StudioWindow.bind(load, vm.loadChapterCommand);
        Region spacer = new Region();
        HBox.setHgrow(spacer, Priority.ALWAYS);
        HBox bar = new HBox(8, head, title, spacer, pos, play, load);
        bar.setAlignment(Pos.CENTER_LEFT);
        VBox.setVgrow(waveform, Priority.ALWAYS);
        getChildren().addAll(bar, waveform);
        vm.clipProperty().addListener((o, a, b) -> audio.stop());
    }

    public void togglePlay() {
        if (vm.playingProperty().get()) {
            audio.stop();
            return;
        }
        play(vm.playFrom());
    }

    public void play(double from) {
        AudioClip c = vm.clip();
        if (c == null) return;
        try {
            vm.playbackStarted();
            audio.play(c.samples(), c.sampleRate(), from,
                    s -> Platform.runLater(() -> vm.playbackAt(s)),
                    () -> Platform.runLater(vm::playbackStopped));
        } catch (LineUnavailableException e) {
            vm.playbackFailed(e.getMessage());
        }
    }

    private void seek(double seconds) {
        boolean was = vm.playingProperty().get();
        audio.stop();
        vm.seek(seconds);
        if (was) play(seconds);
    }

    public void stop() {
        audio.stop();
    }

    private static String time(double s) {
        int t = (int) Math.floor(s);
        return String.format("%d:%02d.%d", t / 60, t % 60, (int) ((s - t) * 10));
    }
}
