package org.higgsnarrator.engine;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.higgsnarrator.lexicon.Lexicon;

/**
 * Applies a request's pronunciation lexicon to its chunks: after the script is split (so the editor's text and the
 * chunking are untouched) and before the prompt is tokenized. Voice rules are selected per chunk by the chunk's
 * speaker name and the name of the voice that reads it; the {@code [SPEAKERn] } tag is left alone.
 */
public final class LexiconStep {
    private static final Pattern TAG = Pattern.compile("^\\[SPEAKER\\d+] ");

    private LexiconStep() {}

    public static List<ScriptChunk> apply(SynthesisRequest request, List<ScriptChunk> chunks) {
        Lexicon lexicon = request.lexicon();
        if (lexicon.isEmpty()) return chunks;
        List<ScriptChunk> out = new ArrayList<>(chunks.size());
        for (ScriptChunk c : chunks) {
            Voice v = request.voices().get(c.speaker());
            List<String> keys = v == null ? List.of(c.speaker()) : List.of(c.speaker(), v.name());
            Matcher tag = TAG.matcher(c.text());
            String prefix = tag.find() ? tag.group() : "";
            String spoken = lexicon.forVoice(keys).apply(c.text().substring(prefix.length()));
            out.add(new ScriptChunk(c.speaker(), c.slot(), prefix + spoken));
        }
        return out;
    }
}
