package org.higgsnarrator.ui.service;

import java.nio.file.Path;
import java.util.List;

/**
 * A reference clip ready for cloning.
 *
 * @param clip     the prepared clip: 24 kHz mono 16-bit WAV inside the cache folder
 * @param cacheKey content key (sha-256 of the prepared samples); the same clip always gets the same key
 * @param seconds  length after trimming
 * @param encoded  whether codec codes are cached for it (false until a codec is loaded)
 * @param warnings what was changed or looks wrong: "resampled 44100 Hz → 24000 Hz", "mixed 2 channels to mono",
 *                 "trimmed 0.4 s of silence", "clip is 42 s long; 5–20 s works best", "clipping detected"…
 */
public record PreparedVoice(Path clip, String cacheKey, double seconds, boolean encoded, List<String> warnings) {
    public PreparedVoice {
        warnings = List.copyOf(warnings);
    }
}
