package org.higgsnarrator.engine;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.higgsnarrator.decode.GenerationOptions;
import org.higgsnarrator.lexicon.Lexicon;

/**
 * What to narrate.
 *
 * @param script  the chapter in the script format ({@link org.higgsnarrator.text.Script}: blank-line paragraphs, {@code Name:} lines and {@code [SPEAKERn]} tags)
 * @param voices  speaker name ({@code Alice} for {@code Alice:} lines, {@code SPEAKER1} for {@code [SPEAKER1]}, {@link Voice#NARRATOR}) → voice; empty lets the model choose
 * @param scene   scene descriptions for the prompt's scene block, e.g. "Audio is recorded from a quiet room."
 * @param options sampling, frame limit, chunking; null = the model's defaults ({@link Narrator#defaultOptions()}, from its package)
 * @param lexicon pronunciation rules applied to each chunk's text before it is tokenized (chapter rules already
 *                selected: {@link Lexicon#forChapter}); voice rules are selected per chunk by its speaker and voice name
 * @param clipPlacement where reference clips go in the prompt: as Boson's example places them by default
 *                ({@link ConversationPlanner.ClipPlacement#OFFICIAL}), or always in the system message (its
 *                {@code --ref_audio_in_system_message})
 */
public record SynthesisRequest(String script, Map<String, Voice> voices, List<String> scene, GenerationOptions options, Lexicon lexicon,
                               ConversationPlanner.ClipPlacement clipPlacement) {
    public SynthesisRequest(String script, Map<String, Voice> voices, List<String> scene, GenerationOptions options) {
        this(script, voices, scene, options, Lexicon.EMPTY);
    }

    public SynthesisRequest(String script, Map<String, Voice> voices, List<String> scene, GenerationOptions options, Lexicon lexicon) {
        this(script, voices, scene, options, lexicon, ConversationPlanner.ClipPlacement.OFFICIAL);
    }

    public SynthesisRequest withLexicon(Lexicon lexicon) {
        return new SynthesisRequest(script, voices, scene, options, lexicon, clipPlacement);
    }

    public SynthesisRequest withClipPlacement(ConversationPlanner.ClipPlacement placement) {
        return new SynthesisRequest(script, voices, scene, options, lexicon, placement);
    }

    /** The planner of this request's prompts. */
    ConversationPlanner planner(List<ScriptChunk> chunks) {
        return new ConversationPlanner(voices, scene, chunks, clipPlacement);
    }

    public SynthesisRequest {
        if (lexicon == null) lexicon = Lexicon.EMPTY;
        if (clipPlacement == null) clipPlacement = ConversationPlanner.ClipPlacement.OFFICIAL;
        if (script == null || script.isBlank()) throw new IllegalArgumentException("the script is empty: nothing to narrate");
        voices = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(voices == null ? Map.of() : voices));
        scene = scene == null ? List.of() : List.copyOf(scene);
    }

    public static SynthesisRequest of(String script) {
        return new SynthesisRequest(script, Map.of(), List.of(), null);
    }
}
