package org.higgsnarrator.export.codec;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.higgsnarrator.config.CodecConfig;
import org.higgsnarrator.pkg.GraphIo;
import org.higgsnarrator.pkg.PackageManifest.GraphSpec;

/**
 * Converts the Higgs Audio v2 audio tokenizer into {@code codec_decoder.onnx} and {@code codec_encoder.onnx} (each with
 * its {@code .data} external weights) inside a model package folder. Both checkpoint layouts are accepted (see
 * {@link CodecWeights}); docs/codec.md describes the graphs.
 */
public final class CodecExporter {
    public static final String ENCODER_FILE = GraphIo.Role.CODEC_ENCODER.fileName();
    public static final String DECODER_FILE = GraphIo.Role.CODEC_DECODER.fileName();

    private CodecExporter() {}

    /**
     * @param config the engine-side codec config (goes into the manifest's {@code codec} field)
     * @param graphs role ("codec_decoder", "codec_encoder") → graph spec for the manifest's {@code graphs}
     */
    public record Result(CodecConfig config, Map<String, GraphSpec> graphs) {}

    /** Reads the architecture only (config.json + weight shapes), writes nothing. */
    public static CodecConfig readConfig(Path codecDir) {
        try (CodecWeights w = CodecWeights.open(codecDir)) {
            return config(CodecSpec.read(codecDir, w));
        }
    }

    /** Exports both graphs; the decoder first since generation needs it. */
    public static Result export(Path codecDir, Path outDir) {
        try (CodecWeights w = CodecWeights.open(codecDir)) {
            return export(CodecSpec.read(codecDir, w), w, outDir);
        }
    }

    static Result export(CodecSpec spec, CodecWeights w, Path outDir) {
        {
            Map<String, GraphSpec> graphs = new LinkedHashMap<>();
            // the file name only: a package must not depend on where its checkpoint was read from
            String producer = "higgs-narrator codec exporter (" + java.nio.file.Path.of(w.source()).getFileName() + ")";

            String decData = CodecGraphs.decoder(spec, w).save(outDir, DECODER_FILE, producer);
            graphs.put(GraphIo.Role.CODEC_DECODER.id(), CodecGraphs.io(GraphIo.Role.CODEC_DECODER, spec).spec(DECODER_FILE, List.of(decData)));

            String encData = CodecGraphs.encoder(spec, w).save(outDir, ENCODER_FILE, producer);
            graphs.put(GraphIo.Role.CODEC_ENCODER.id(), CodecGraphs.io(GraphIo.Role.CODEC_ENCODER, spec).spec(ENCODER_FILE, List.of(encData)));
            return new Result(config(spec), graphs);
        }
    }

    static CodecConfig config(CodecSpec spec) {
        return new CodecConfig(spec.sampleRate(), spec.hop(), spec.numQuantizers(), spec.codebookSize(), spec.semanticRate(),
                CodecGraphs.decoderContextFrames(spec.ratios()), CodecConfig.DEFAULT_STREAM_CHUNK_FRAMES);
    }
}
