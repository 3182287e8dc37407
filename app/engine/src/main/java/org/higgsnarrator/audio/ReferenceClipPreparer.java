package org.higgsnarrator.audio;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Turns a user's voice sample into a cloning reference: downmix to mono, resample to 24 kHz, trim the silence at both
 * ends, and warn about what hurts cloning (clipping, background noise, very low level, length outside 3–30 s).
 * Files that are not usable audio at all fail with an {@link AudioFileException}.
 */
public final class ReferenceClipPreparer {
    private final AudioOptions o;

    public ReferenceClipPreparer() {
        this(AudioOptions.DEFAULTS);
    }

    public ReferenceClipPreparer(AudioOptions options) {
        this.o = options;
    }

    public PreparedClip prepare(Path file) throws IOException {
        AudioClip clip = AudioReader.read(file);
        try {
            return prepare(clip, file.getFileName().toString());
        } catch (IllegalArgumentException e) {
            throw new AudioFileException(file, e.getMessage(), "Use a recording in which the voice can be heard");
        }
    }

    /** @param name how warnings refer to the clip */
    public PreparedClip prepare(AudioClip source, String name) {
        List<String> warnings = new ArrayList<>();
        int clipped = clippedSpots(source);
        if (clipped > 0)
            warnings.add(String.format(Locale.ROOT, "%s is clipped in %d place%s (distortion gets cloned too): record it again at a lower input level",
                    name, clipped, clipped == 1 ? "" : "s"));

        AudioClip mono = Resampler.resample(source.toMono(), o.referenceSampleRate());
        int[] sound = LoudnessMeter.soundRange(mono, o);
        if (sound[1] <= sound[0]) throw new IllegalArgumentException(name + " contains only silence");
        int pad = (int) Math.round(o.trimPadSeconds() * mono.sampleRate());
        int from = Math.max(0, sound[0] - pad), to = Math.min(mono.frames(), sound[1] + pad);
        AudioClip trimmed = mono.slice(from, to);

        double noise = LoudnessMeter.noiseFloorDb(mono, o);
        if (noise > o.noisyFloorDb())
            warnings.add(String.format(Locale.ROOT, "%s has background noise at %.0f dB (quieter than %.0f dB is best): the clone will copy it; use a quieter recording or denoise it",
                    name, noise, o.noisyFloorDb()));
        double peak = LoudnessMeter.peakDb(trimmed);
        if (peak < o.quietPeakDb())
            warnings.add(String.format(Locale.ROOT, "%s is very quiet (peak %.0f dBFS): record closer to the microphone or raise the input level", name, peak));
        double seconds = trimmed.seconds();
        if (seconds < o.minReferenceSeconds())
            warnings.add(String.format(Locale.ROOT, "%s has only %.1f s of speech: %.0f–%.0f s clone best", name, seconds, o.minReferenceSeconds(), o.maxReferenceSeconds()));
        else if (seconds > o.maxReferenceSeconds())
            warnings.add(String.format(Locale.ROOT, "%s has %.1f s of speech: %.0f–%.0f s clone best; longer clips only make generation slower", name, seconds,
                    o.minReferenceSeconds(), o.maxReferenceSeconds()));
        return new PreparedClip(trimmed, warnings, from / (double) mono.sampleRate(), (mono.frames() - to) / (double) mono.sampleRate(),
                source.sampleRate(), source.channels());
    }

    int clippedSpots(AudioClip clip) {
        return LoudnessMeter.clippedSpots(clip, o);
    }
}
