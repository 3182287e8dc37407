package org.higgsnarrator.audio;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Turns a user's voice sample into a cloning reference as Boson's release prepares one
 * (boson_multimodal/audio_processing/higgs_audio_tokenizer.py L237-250: {@code librosa.load(path, mono=True, sr=None)},
 * then {@code librosa.resample} to 24 kHz — soxr "high quality" — and no loudness change, {@code loudness_normalize}
 * being off): downmix to mono (the channel mean, as librosa), band-limited resampling to 24 kHz (our windowed-sinc
 * {@link Resampler}: 64 zero crossings, Kaiser β 10, about 100 dB stopband — high quality, not bit-identical to soxr),
 * and warnings about what hurts cloning (clipping, background noise, very low level, length outside 3–30 s). Silence at
 * the ends is measured and reported but kept, as the release keeps it; {@link #trimming} removes it for callers that
 * want it (an opt-in: nothing measured yet shows that it helps, and it changes what the model hears). A clip that is
 * only silence, or a file that is not usable audio, fails with an {@link AudioFileException}.
 */
public final class ReferenceClipPreparer {
    private final AudioOptions o;
    private final boolean trim;

    public ReferenceClipPreparer() {
        this(AudioOptions.DEFAULTS);
    }

    /** Release-faithful preparation: no trimming. */
    public ReferenceClipPreparer(AudioOptions options) {
        this(options, false);
    }

    private ReferenceClipPreparer(AudioOptions options, boolean trim) {
        this.o = options;
        this.trim = trim;
    }

    /** The same preparation with the silence at both ends trimmed (keeping {@code trimPadSeconds} of it). */
    public static ReferenceClipPreparer trimming(AudioOptions options) {
        return new ReferenceClipPreparer(options, true);
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
        int from = trim ? Math.max(0, sound[0] - pad) : 0, to = trim ? Math.min(mono.frames(), sound[1] + pad) : mono.frames();
        AudioClip trimmed = mono.slice(from, to);

        double seconds = (Math.min(mono.frames(), sound[1] + pad) - Math.max(0, sound[0] - pad)) / (double) mono.sampleRate(); // of speech, trimmed or not
        if (sound[1] - sound[0] < (int) Math.round(o.rejectReferenceSeconds() * mono.sampleRate()))
            throw new IllegalArgumentException(String.format(Locale.ROOT, "%s has only %.2f s of sound, too little to be a voice: use a recording of %.0f–%.0f s of speech",
                    name, (sound[1] - sound[0]) / (double) mono.sampleRate(), o.minReferenceSeconds(), o.maxReferenceSeconds()));
        // the background between words (short gaps suffice): the quietest half second of a tightly trimmed clip is speech
        double noise = LoudnessMeter.backgroundDb(mono, o);
        if (noise > o.noisyFloorDb())
            warnings.add(String.format(Locale.ROOT, "%s has background noise at %.0f dB (quieter than %.0f dB is best): the clone will copy it; use a quieter recording or denoise it",
                    name, noise, o.noisyFloorDb()));
        double peak = LoudnessMeter.peakDb(trimmed);
        if (peak < o.quietPeakDb())
            warnings.add(String.format(Locale.ROOT, "%s is very quiet (peak %.0f dBFS): record closer to the microphone or raise the input level", name, peak));
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
