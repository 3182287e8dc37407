package org.higgsnarrator.engine;

import org.higgsnarrator.codec.AudioCodec;
import org.higgsnarrator.codec.StreamingDecoder;

/** The codec's streaming decoder as the engine's {@link WaveformDecoder}; owns the codec. */
public record CodecWaveformDecoder(AudioCodec codec) implements WaveformDecoder {
    @Override
    public int sampleRate() {
        return codec.config().sampleRate();
    }

    @Override
    public int samplesPerFrame() {
        return codec.config().hopLength();
    }

    @Override
    public Stream open() {
        return stream(new StreamingDecoder(codec));
    }

    @Override
    public int contextFrames() {
        return codec.config().decoderContextFrames();
    }

    @Override
    public Stream resume(int[][] tail, long tailStart, long emittedFrames) {
        return stream(StreamingDecoder.resumed(codec, tail, tailStart, emittedFrames));
    }

    private static Stream stream(StreamingDecoder s) {
        return new Stream() {
            @Override
            public long emittedFrames() {
                return s.emittedFrames();
            }

            @Override
            public float[] push(int[] frame) {
                return s.pushFrame(frame);
            }

            @Override
            public float[] finish() {
                return s.finish();
            }

            @Override
            public void close() {}
        };
    }

    @Override
    public void close() {
        codec.close();
    }
}
