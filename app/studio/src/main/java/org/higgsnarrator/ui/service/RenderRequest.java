package org.higgsnarrator.ui.service;

import java.nio.file.Path;
import org.higgsnarrator.lexicon.Lexicon;
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
 * @param lexicon  pronunciation rules for this segment (chapter and voice already selected), applied by the engine
 *                 to what the model reads; the text itself stays as typed
 */
public record RenderRequest(String text, VoiceRef voice, String scene, GenerationSettings settings, long seed, Lexicon lexicon) {
    public RenderRequest {
        if (lexicon == null) lexicon = Lexicon.EMPTY;
    }

    public RenderRequest(String text, VoiceRef voice, String scene, GenerationSettings settings, long seed) {
        this(text, voice, scene, settings, seed, Lexicon.EMPTY);
    }

    public RenderRequest withSeed(long seed) {
        return new RenderRequest(text, voice, scene, settings, seed, lexicon);
    }

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
