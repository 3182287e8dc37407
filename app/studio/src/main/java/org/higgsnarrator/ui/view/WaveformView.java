package org.higgsnarrator.ui.view;

import java.util.List;
import java.util.function.DoubleConsumer;
import javafx.scene.canvas.Canvas;
import javafx.scene.canvas.GraphicsContext;
import javafx.scene.layout.Region;
import javafx.scene.paint.Color;
import org.higgsnarrator.audio.AudioClip;
import org.higgsnarrator.ui.vm.PlayerViewModel;

/**
 * The player's waveform: min/max per pixel column, segment spans as alternating bands with the current segment
 * highlighted, and the playhead. Clicking seeks.
 */
public final class WaveformView extends Region {
    private static final Color BG = Color.web("#fbfcfd");
    private static final Color WAVE = Color.web("#3d6fb6");
    private static final Color WAVE_CURRENT = Color.web("#1f4f94");
    private static final Color BAND = Color.web("#eef2f7");
    private static final Color BAND_CURRENT = Color.web("#ffe8a8");
    private static final Color HEAD = Color.web("#d1242f");
    private static final Color AXIS = Color.web("#d0d7de");

    private final Canvas canvas = new Canvas();
    private final PlayerViewModel vm;
    private float[] peaksMin = new float[0], peaksMax = new float[0];
    private int peaksFor = -1;
    private AudioClip peaksClip;

    public WaveformView(PlayerViewModel vm, DoubleConsumer onSeek) {
        this.vm = vm;
        getStyleClass().add("waveform");
        getChildren().add(canvas);
        setMinHeight(90);
        setPrefHeight(120);
        vm.clipProperty().addListener((o, a, b) -> redraw());
        vm.spansProperty().addListener((o, a, b) -> redraw());
        vm.positionProperty().addListener((o, a, b) -> redraw());
        vm.currentSegmentProperty().addListener((o, a, b) -> redraw());
        canvas.setOnMouseClicked(e -> {
            if (vm.clip() != null && getWidth() > 0) onSeek.accept(e.getX() / getWidth() * vm.duration());
        });
    }

    @Override
    protected void layoutChildren() {
        canvas.setWidth(getWidth());
        canvas.setHeight(getHeight());
        redraw();
    }

    /** Pixel columns with any non-zero peak (used by tests to check a waveform is drawn). */
    public int drawnColumns() {
        int n = 0;
        for (int i = 0; i < peaksMax.length; i++) if (peaksMax[i] - peaksMin[i] > 1e-4f) n++;
        return n;
    }

    private void computePeaks(AudioClip clip, int width) {
        if (clip == peaksClip && width == peaksFor) return;
        peaksClip = clip;
        peaksFor = width;
        peaksMin = new float[width];
        peaksMax = new float[width];
        float[] s = clip.samples();
        if (s.length == 0) return;
        for (int x = 0; x < width; x++) {
            int from = (int) ((long) s.length * x / width), to = (int) Math.max(from + 1, (long) s.length * (x + 1) / width);
            float lo = 0, hi = 0;
            for (int i = from; i < Math.min(to, s.length); i++) {
                lo = Math.min(lo, s[i]);
                hi = Math.max(hi, s[i]);
            }
            peaksMin[x] = lo;
            peaksMax[x] = hi;
        }
    }

    private void redraw() {
        double w = getWidth(), h = getHeight();
        GraphicsContext g = canvas.getGraphicsContext2D();
        g.setFill(BG);
        g.fillRect(0, 0, w, h);
        AudioClip clip = vm.clip();
        double mid = h / 2;
        g.setStroke(AXIS);
        g.strokeLine(0, mid, w, mid);
        if (clip == null || w < 2 || clip.samples().length == 0) {
            g.setFill(Color.web("#6e7781"));
            g.fillText("No audio — render a chapter or drop a voice clip", 12, mid - 8);
            return;
        }
        int width = (int) w;
        computePeaks(clip, width);
        double perPx = clip.samples().length / w;
        List<PlayerViewModel.Span> spans = vm.spans();
        int cur = vm.currentSegmentProperty().get();
        for (PlayerViewModel.Span s : spans) {
            double x0 = s.startSample() / perPx, x1 = s.endSample() / perPx;
            g.setFill(s.segmentIndex() == cur ? BAND_CURRENT : (s.segmentIndex() % 2 == 0 ? BAND : BG));
            g.fillRect(x0, 0, x1 - x0, h);
        }
        double scale = mid * 0.92;
        for (int x = 0; x < width; x++) {
            boolean inCur = false;
            for (PlayerViewModel.Span s : spans) {
                if (s.segmentIndex() == cur && x * perPx >= s.startSample() && x * perPx < s.endSample()) inCur = true;
            }
            g.setStroke(inCur ? WAVE_CURRENT : WAVE);
            g.strokeLine(x + 0.5, mid - peaksMax[x] * scale, x + 0.5, mid - peaksMin[x] * scale);
        }
        double px = vm.positionProperty().get() / vm.duration() * w;
        g.setStroke(HEAD);
        g.setLineWidth(2);
        g.strokeLine(px, 0, px, h);
        g.setLineWidth(1);
    }
}
