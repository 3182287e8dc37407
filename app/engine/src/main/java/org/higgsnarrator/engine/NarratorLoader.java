package org.higgsnarrator.engine;

import java.nio.file.Path;
import org.higgsnarrator.audio.AudioClip;
import org.higgsnarrator.codec.AudioCodec;
import org.higgsnarrator.decode.AudioLanguageModel;
import org.higgsnarrator.decode.GenerationOptions;
import org.higgsnarrator.pkg.ModelPackage;
import org.higgsnarrator.runtime.OrtAudioLanguageModel;
import org.higgsnarrator.runtime.OrtRuntime;
import org.higgsnarrator.runtime.Device;
import org.higgsnarrator.runtime.RuntimeOptions;
import org.higgsnarrator.text.PromptBuilder;
import org.higgsnarrator.text.TextTokenizer;

/**
 * Opens a model package as a {@link Narrator}: the one place where the engine's interfaces meet their
 * implementations (ORT generation model, codec, tokenizer + prompt builder, reference clip preparation).
 */
public final class NarratorLoader {
    private NarratorLoader() {}

    /**
     * @param packageDir a converted model package (manifest.json, graphs, tokenizer.json, codec)
     * @param device     where to run
     */
    public static Narrator load(Path packageDir, Device device) {
        return load(packageDir, RuntimeOptions.defaults().withDevice(device));
    }

    public static Narrator load(Path packageDir, RuntimeOptions options) {
        ModelPackage pkg = ModelPackage.open(packageDir, options.verifyHashes());
        if (pkg.manifest().codec() == null) {
            throw new ModelPackage.PackageException(packageDir + ": the package has no audio tokenizer (codec) graphs; re-export it with --codec DIR");
        }
        OrtRuntime runtime = new OrtRuntime(options);
        AudioLanguageModel model = null;
        TextTokenizer tokenizer = null;
        AudioCodec codec = null;
        try {
            model = OrtAudioLanguageModel.open(pkg, runtime);
            tokenizer = TextTokenizer.open(pkg.tokenizerFile());
            codec = AudioCodec.open(pkg.dir(), pkg.manifest(), runtime::open);
            PromptRenderer renderer = renderer(tokenizer, pkg);
            WaveformDecoder decoder = new CodecWaveformDecoder(codec);
            ReferenceEncoder encoder = new ClipEncoder(codec);
            return new Narrator(model, renderer, decoder, encoder, null)
                    .alsoClosing(tokenizer)
                    .withModelId(pkg.dir().toAbsolutePath().normalize() + " | " + pkg.manifest().name() + " | " + pkg.manifest().precision())
                    .withInfo(new Narrator.Info(runtime.device(), reason(runtime, pkg, model), pkg.manifest().randomWeights()))
                    .withDefaultOptions(GenerationOptions.of(pkg.manifest().samplingDefaults()))
                    .withCodecId(pkg.manifest().codecId());
        } catch (RuntimeException e) {
            if (model != null) model.close();
            if (tokenizer != null) tokenizer.close();
            if (codec != null) codec.close();
            throw e;
        }
    }

    /**
     * The device's reason, with where the decode step's nodes ran when that was measured (on CUDA: {@code
     * OrtAudioLanguageModel.placement()}) or, with IoBinding on CUDA, the predicted attention placement: the CLI and
     * the studio's Settings show this line.
     */
    static String reason(OrtRuntime runtime, ModelPackage pkg, AudioLanguageModel model) {
        String r = runtime.reason();
        org.higgsnarrator.runtime.NodePlacement placed = model instanceof OrtAudioLanguageModel m ? m.placement() : null;
        if (placed != null) r += "; placement: " + placed.summary();
        var cpuAttention = org.higgsnarrator.runtime.CudaPlacement.attentionOnCpu(runtime.device(), pkg.kvType(), placed);
        if (cpuAttention.isPresent()) r += "; ATTENTION ON THE CPU: " + cpuAttention.get();
        return r;
    }

    /**
     * The engine's prompt renderer: no normalization at render time — chunk texts are normalized by the script
     * chunker, reference transcripts stay as written (Boson's {@code examples/generation.py} L441-442).
     */
    static PromptRenderer renderer(TextTokenizer tokenizer, ModelPackage pkg) {
        // false: the script was normalized once, as one transcript, before chunking (text.Script); reference
        // transcripts are used as written, stripped (boson-ai/higgs-audio examples/generation.py: main L700–728 normalizes
        // the transcript; prepare_generation_context reads a reference prompt_text with f.read().strip() only)
        return new ConversationRenderer(new PromptBuilder(tokenizer, pkg.manifest().model()), false);
    }

    /** Prepared reference clips (mono 24 kHz, Narrator.encodeReference prepares them) → codes. */
    record ClipEncoder(AudioCodec codec) implements ReferenceEncoder {
        @Override
        public int[][] encode(AudioClip prepared) {
            return codec.encode(prepared.samples(), prepared.sampleRate(), 1);
        }
    }
}
