package org.higgsnarrator.ui.service;

import java.nio.file.Path;
import org.higgsnarrator.project.Project.GenerationSettings;

/**
 * One segment to render.
 *
 * @param text     the segment's words as the author typed them, inline effect tags like {@code [laugh]} included;
 *                 the adapter applies the text module's normalisation (tags → {@code <SE>…</SE>}, punctuation)
 * @param voice    who speaks it
 * @param scene    the chapter's scene description ("" for none)
 * @param settings sampling settings
 * @param seed     sampling seed for this take
 */
public record RenderRequest(String text, VoiceRef voice, String scene, GenerationSettings settings, long seed) {

    /** The voice of a segment: a cloned clip (with transcript), a text description, or the model's choice. */
    public sealed interface VoiceRef {
        /** @param clip prepared 24 kHz clip ({@link PreparedVoice#clip()}); cacheKey finds its cached codes */
        record Cloned(Path clip, String cacheKey, String transcript) implements VoiceRef {}

        /** @param description speaker profile, goes into the scene block as {@code SPEAKER0: description} */
        record Described(String description) implements VoiceRef {}

        /** No reference: the model picks a voice. */
        record ModelChoice() implements VoiceRef {}
    }
}
