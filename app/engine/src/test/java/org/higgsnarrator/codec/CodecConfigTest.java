package org.higgsnarrator.codec;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.higgsnarrator.config.CodecConfig;
import org.higgsnarrator.pkg.PackageManifest;
import org.junit.jupiter.api.Test;

class CodecConfigTest {
    @Test
    void manifestRoundTripKeepsStreamingFields() {
        CodecConfig c = new CodecConfig(24000, 960, 8, 1024, 16000, 12, 30);
        CodecConfig back = PackageManifest.GSON.fromJson(PackageManifest.GSON.toJson(c), CodecConfig.class);
        assertEquals(c, back);
    }

    @Test
    void manifestWithoutStreamingFieldsGetsReleasedDefaults() {
        String old = "{\"sampleRate\":24000,\"hopLength\":960,\"numCodebooks\":8,\"codebookSize\":1024,\"semanticSampleRate\":16000}";
        CodecConfig c = PackageManifest.GSON.fromJson(old, CodecConfig.class);
        assertEquals(CodecConfig.RELEASED_DECODER_CONTEXT_FRAMES, c.decoderContextFrames());
        assertEquals(CodecConfig.DEFAULT_STREAM_CHUNK_FRAMES, c.streamChunkFrames());
        assertEquals(25.0, c.framesPerSecond());
    }

    @Test
    void nonsenseIsRejected() {
        assertThrows(IllegalArgumentException.class, () -> new CodecConfig(24000, 0, 8, 1024, 16000));
    }
}
