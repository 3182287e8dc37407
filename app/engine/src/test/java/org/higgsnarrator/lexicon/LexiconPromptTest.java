package org.higgsnarrator.lexicon;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.higgsnarrator.decode.GenerationOptions;
import org.higgsnarrator.decode.PromptTokens;
import org.higgsnarrator.engine.ConversationPlanner;
import org.higgsnarrator.engine.Narrator;
import org.higgsnarrator.engine.NarratorLoader;
import org.higgsnarrator.engine.ScriptChunk;
import org.higgsnarrator.engine.SynthesisListener;
import org.higgsnarrator.engine.SynthesisRequest;
import org.higgsnarrator.engine.Voice;
import org.higgsnarrator.pkg.ModelPackage;
import org.higgsnarrator.engine.ConversationRenderer;
import org.higgsnarrator.text.PromptBuilder;
import org.higgsnarrator.text.TextTokenizer;
import org.junit.jupiter.api.Test;

/**
 * Proof that a lexicon changes what the model reads and not the script: a real job on the bundled tiny package
 * (random weights) with a lexicon, the chunks it generated from, and their prompts rendered to token ids by the
 * package's own tokenizer and template, decoded back to text.
 */
class LexiconPromptTest {
    @Test
    void aRuleChangesThePromptTokensNotTheScript() throws Exception {
        Path tiny = Path.of(System.getProperty("narrator.repo.root", "../..")).resolve("onnx-models/tiny");
        String script = "Hermione smiled.\n\nAlice: Hermione, a tomato?\n\nBob: A tomato!\n";
        Lexicon lexicon = LexiconFiles.parseText("Hermione = Her-my-oh-nee\n[voice Alice]\ntomato = tomahto\n", "test");
        List<ScriptChunk> seen = new ArrayList<>();
        SynthesisRequest request = new SynthesisRequest(script, Map.of(), List.of("Audio is recorded from a quiet room."),
                GenerationOptions.defaults().withMaxFrames(4)).withLexicon(lexicon);
        try (Narrator n = NarratorLoader.load(tiny, org.higgsnarrator.runtime.Device.CPU)) {
            n.newJob(request).run(new SynthesisListener() {
                @Override
                public void onChunkStart(int index, int count, ScriptChunk chunk) {
                    seen.add(chunk);
                }
            });
        }
        assertEquals(List.of("[SPEAKER2] Her-my-oh-nee smiled.", "[SPEAKER0] Her-my-oh-nee, a tomahto?", "[SPEAKER1] A tomato!"),
                seen.stream().map(ScriptChunk::text).toList());
        assertEquals("Hermione smiled.\n\nAlice: Hermione, a tomato?\n\nBob: A tomato!\n", request.script());

        ModelPackage pkg = ModelPackage.open(tiny, false);
        try (TextTokenizer tok = TextTokenizer.open(pkg.tokenizerFile())) {
            ConversationRenderer renderer = new ConversationRenderer(new PromptBuilder(tok, pkg.manifest().model()), true);
            ConversationPlanner planner = new ConversationPlanner(Map.<String, Voice>of(), request.scene(), seen);
            PromptTokens prompt = renderer.render(planner.conversation(seen.get(1), List.of()));
            String modelSees = tok.decode(prompt.ids());
            assertTrue(modelSees.contains("<|start_header_id|>user<|end_header_id|>\n\n[SPEAKER0] Her-my-oh-nee, a tomahto?<|eot_id|>"), modelSees);
            assertFalse(modelSees.contains("Hermione") || modelSees.contains("tomato"), modelSees);
        }
    }
}
