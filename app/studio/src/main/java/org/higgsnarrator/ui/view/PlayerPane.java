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
import org.higgsnarrator.ui.vm.StudioViewModel;

/** Player: waveform with segment bands and playhead, play/stop, load the selected chapter's takes. */
public final class PlayerPane extends VBox {
    public final WaveformView waveform;
    private final AudioPlayer audio = new AudioPlayer();
    private final StudioViewModel vm;

    public PlayerPane(StudioViewModel vm) {
        this.vm = vm;
        setSpacing(6);
        setPadding(new Insets(8));
        waveform = new WaveformView(vm.player, this::seek);
        waveform.setId("waveform");
        Label head = new Label("Player");
        head.getStyleClass().add("section-title");
        Label title = new Label();
        title.setId("playerTitle");
        title.textProperty().bind(vm.player.title);
        Label pos = new Label();
        pos.setId("playerPosition");
        pos.textProperty().bind(Bindings.createStringBinding(() -> time(vm.player.position.get()) + " / " + time(vm.player.duration()),
                vm.player.position, vm.player.clip));
        pos.getStyleClass().add("mono");
        Button play = new Button();
        play.setId("play");
        play.textProperty().bind(Bindings.when(vm.player.playing).then("■ Stop").otherwise("▶ Play"));
        play.disableProperty().bind(vm.player.clip.isNull());
        play.setOnAction(e -> togglePlay());
        Button load = new Button("Load chapter");
        load.setId("loadChapter");
        load.disableProperty().bind(vm.selectedChapter.isNull());
        load.setOnAction(e -> vm.loadChapterAudio(vm.selectedChapter.get()));
        Region spacer = new Region();
        HBox.setHgrow(spacer, Priority.ALWAYS);
        HBox bar = new HBox(8, head, title, spacer, pos, play, load);
        bar.setAlignment(Pos.CENTER_LEFT);
        VBox.setVgrow(waveform, Priority.ALWAYS);
        getChildren().addAll(bar, waveform);
        vm.player.clip.addListener((o, a, b) -> audio.stop());
    }

    public void togglePlay() {
        if (vm.player.playing.get()) {
            audio.stop();
            return;
        }
        play(vm.player.position.get() >= vm.player.duration() - 0.05 ? 0 : vm.player.position.get());
    }

    public void play(double from) {
        AudioClip c = vm.player.clip.get();
        if (c == null) return;
        try {
            vm.player.playing.set(true);
            audio.play(c.samples(), c.sampleRate(), from,
                    s -> Platform.runLater(() -> vm.player.position.set(s)),
                    () -> Platform.runLater(() -> vm.player.playing.set(false)));
        } catch (LineUnavailableException e) {
            vm.player.playing.set(false);
            vm.error("Cannot play: " + e.getMessage() + ". Export the audio and play it in another application.");
        }
    }

    private void seek(double seconds) {
        boolean was = vm.player.playing.get();
        audio.stop();
        vm.player.position.set(seconds);
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
