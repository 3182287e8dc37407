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
        StreamingDecoder s = new StreamingDecoder(codec);
        return new Stream() {
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
