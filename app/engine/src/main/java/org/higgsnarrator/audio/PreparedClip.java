package org.higgsnarrator.audio;

import java.util.List;

/**
 * A voice-cloning reference ready for the codec.
 *
 * @param clip               mono, at {@link AudioOptions#referenceSampleRate()} (24 kHz); silence trimmed only when asked
 * @param warnings           things the user should fix for better cloning (clipping, noise, length); empty if none
 * @param trimmedHeadSeconds silence removed from the start (0 unless trimming was asked for)
 * @param trimmedTailSeconds silence removed from the end (0 unless trimming was asked for)
 * @param sourceSampleRate   rate of the file as read
 * @param sourceChannels     channel count of the file as read (downmixed to mono)
 */
public record PreparedClip(AudioClip clip, List<String> warnings, double trimmedHeadSeconds, double trimmedTailSeconds,
                           int sourceSampleRate, int sourceChannels) {
    public PreparedClip {
        warnings = List.copyOf(warnings);
    }
}
