package org.higgsnarrator.engine;

import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import org.higgsnarrator.codec.AudioCodec;
import org.higgsnarrator.decode.GenerationOptions;
import org.higgsnarrator.pkg.ModelPackage;
import org.higgsnarrator.runtime.OrtRuntime;
import org.higgsnarrator.runtime.RuntimeOptions;
import org.higgsnarrator.text.PromptText;
import org.higgsnarrator.text.TextTokenizer;

/**
 * The prompts a narration will give the model, chunk by chunk, as decoded token text — without loading the
 * generation model (only the tokenizer, and the codec's encoder when a voice is cloned from a clip). Chunks, voices,
 * scene and the context buffer are planned exactly as {@link SynthesisJob} plans them; the audio a previous chunk
 * will generate is not known yet, so its span reads {@code [audio generated for chunk i]}.
 */
public final class PromptPreview implements AutoCloseable {
    private final ModelPackage pkg;
    private final TextTokenizer tokenizer;
    private final ConversationRenderer renderer;
    private final PromptText text;
    private OrtRuntime runtime;
    private AudioCodec codec;

    private PromptPreview(ModelPackage pkg, TextTokenizer tokenizer) {
        this.pkg = pkg;
        this.tokenizer = tokenizer;
        var model = pkg.manifest().model();
        this.renderer = (ConversationRenderer) NarratorLoader.renderer(tokenizer, pkg);
        this.text = new PromptText(tokenizer, model.numCodebooks(), model.tokens().audioDelay());
    }

    public static PromptPreview open(Path packageDir) {
        ModelPackage pkg = ModelPackage.open(packageDir, false);
        return new PromptPreview(pkg, TextTokenizer.open(pkg.tokenizerFile()));
    }

    /** A cloned voice, its clip encoded by the package's codec as narration encodes it. */
    public Voice cloneVoice(String name, Path clip, String transcript) {
        if (codec == null) {
            if (pkg.manifest().codec() == null) throw new ModelPackage.PackageException(pkg.dir() + ": the package has no audio tokenizer (codec) graphs; re-export it with --codec DIR");
            runtime = new OrtRuntime(RuntimeOptions.defaults().withDevice(org.higgsnarrator.runtime.Device.CPU));
            codec = AudioCodec.open(pkg.dir(), pkg.manifest(), runtime::open);
        }
        return Voice.cloned(name, new NarratorLoader.ClipEncoder(codec).encode(Narrator.prepare(clip)), transcript);
    }

    /** One prompt text per chunk, in order. */
    public List<String> prompts(SynthesisRequest request) {
        GenerationOptions options = request.options();
        List<ScriptChunk> chunks = LexiconStep.apply(request, new ChapterSplitter().split(request.script(), options.chunkMaxWords()));
        if (chunks.isEmpty()) throw new IllegalArgumentException("the script has no words to narrate");
        ConversationPlanner planner = request.planner(chunks);
        int k = pkg.manifest().model().numCodebooks();
        ArrayDeque<ConversationPlanner.Generated> context = new ArrayDeque<>();
        ArrayDeque<Integer> contextChunks = new ArrayDeque<>();
        List<String> out = new ArrayList<>();
        for (int i = 0; i < chunks.size(); i++) {
            ScriptChunk chunk = chunks.get(i);
            Conversation c = planner.conversation(chunk, List.copyOf(context));
            List<String> notes = new ArrayList<>();
            for (int v = 0; v < c.sceneClips().size(); v++) notes.add(null); // voices in the system message come first
            for (Conversation.Message m : c.messages()) {
                if (m instanceof Conversation.AssistantAudio) notes.add(null);
            }
            // the last spans are the context chunks' (placeholders of zero frames here)
            int first = notes.size() - contextChunks.size();
            int j = 0;
            for (int index : contextChunks) notes.set(first + j++, "[audio generated for chunk " + (index + 1) + "]");
            out.add(text.show(renderer.render(c).ids(), notes));
            if (options.chunkBufferSize() > 0) {
                context.addLast(new ConversationPlanner.Generated(planner.userText(chunk), new int[k][0]));
                contextChunks.addLast(i);
                while (context.size() > options.chunkBufferSize()) {
                    context.removeFirst();
                    contextChunks.removeFirst();
                }
            }
        }
        return out;
    }

    @Override
    public void close() {
        try {
            if (codec != null) codec.close();
        } finally {
            tokenizer.close();
        }
    }
}
