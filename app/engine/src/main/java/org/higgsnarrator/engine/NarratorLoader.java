package org.higgsnarrator.engine;

import java.nio.file.Path;

/**
 * Opens a model package as a {@link Narrator}: the one place where the engine's interfaces meet their
 * implementations (ORT generation model, codec, tokenizer + prompt builder).
 */
public final class NarratorLoader {
    private NarratorLoader() {}

    /**
     * @param packageDir a converted model package (manifest.json, graphs, tokenizer.json, codec)
     * @param device     where to run
     */
    public static Narrator load(Path packageDir, Device device) {
        // WIRING (lead): open runtime.ModelPackage.open(packageDir) and build
        //   model    = runtime.OrtAudioLanguageModel over its prefill / decode_step graphs on `device`
        //   renderer = conversation -> text.PromptBuilder(...) rendering (normalization, template, audio expansion)
        //   decoder  = WaveformDecoder over codec.StreamingDecoder (sampleRate / hop from the package's CodecConfig)
        //   encoder  = ReferenceEncoder: audio file → mono 24 kHz → codec.AudioCodec.encode
        // then: return new Narrator(model, renderer, decoder, encoder, new ChapterSplitter());
        throw new UnsupportedOperationException("loading " + packageDir + " needs the ORT generation model (runtime.OrtAudioLanguageModel), the codec"
                + " (codec.StreamingDecoder / AudioCodec) and the prompt builder (text.PromptBuilder), which are not wired into this build yet");
    }
}
