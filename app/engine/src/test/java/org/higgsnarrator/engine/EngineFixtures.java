package org.higgsnarrator.engine;

import java.util.ArrayList;
import java.util.List;
import org.higgsnarrator.config.ModelConfig;
import org.higgsnarrator.decode.DelayPattern;
import org.higgsnarrator.decode.PromptTokens;

/**
 * TEST FIXTURES for the engine's orchestration tests, standing in for parts that live in other packages and are
 * wired by {@link NarratorLoader} (ORT model, codec, prompt builder). The generation model is
 * {@code decode.RecordedLogitsModel}: the reference's recorded logits. These fixtures check what the engine does with
 * its parts (streaming, context buffer, cancellation), not audio quality; once the tiny package loads, the same tests
 * should run on the real parts too.
 */
final class EngineFixtures {
    private EngineFixtures() {}

    /**
     * Renders a conversation into the token layout of the real template closely enough for the loop: turn headers
     * ({@code <|start_header_id|>} role {@code <|end_header_id|>} "\n\n"), one id per word, each audio turn as {@code <|audio_out_bos|>} + (F+2) {@code <|AUDIO_OUT|>} + (K−1) delay tokens +
     * {@code <|audio_eos|>}, ending with {@code <|audio_out_bos|>}. Records every conversation it renders.
     */
    static final class RecordingRenderer implements PromptRenderer {
        final ModelConfig config;
        final List<Conversation> rendered = new ArrayList<>();

        RecordingRenderer(ModelConfig config) {
            this.config = config;
        }

        static final long ROLE_USER = 882, ROLE_ASSISTANT = 78191, NEWLINES = 271; // "user", "assistant", "\n\n"

        private void header(List<Long> ids, long role) {
            ids.add((long) config.tokens().startHeader());
            ids.add(role);
            ids.add((long) config.tokens().endHeader());
            ids.add(NEWLINES);
        }

        @Override
        public PromptTokens render(Conversation c) {
            rendered.add(c);
            var t = config.tokens();
            List<Long> ids = new ArrayList<>();
            List<int[]> frames = new ArrayList<>();
            ids.add((long) t.beginOfText());
            for (String w : (c.system() + " " + String.join(" ", c.scene())).split("\\s+")) ids.add(1000L + Math.floorMod(w.hashCode(), 1000));
            ids.add((long) t.eot());
            for (Conversation.Message m : c.messages()) {
                header(ids, m instanceof Conversation.UserText ? ROLE_USER : ROLE_ASSISTANT);
                switch (m) {
                    case Conversation.UserText u -> {
                        for (String w : u.text().split("\\s+")) ids.add(1000L + Math.floorMod(w.hashCode(), 1000));
                    }
                    case Conversation.AssistantAudio a -> {
                        int[][] framed = DelayPattern.promptFrames(a.codes(), config.streamBos(), config.streamEos()); // [K][F+2+K-1]
                        int f = a.codes()[0].length;
                        ids.add((long) t.audioOutBos());
                        for (int i = 0; i < f + 2; i++) ids.add((long) t.audioOut());
                        for (int i = 0; i < config.numCodebooks() - 1; i++) ids.add((long) t.audioDelay());
                        ids.add((long) t.audioEos());
                        for (int i = 0; i < framed[0].length; i++) {
                            int[] frame = new int[framed.length];
                            for (int k = 0; k < framed.length; k++) frame[k] = framed[k][i];
                            frames.add(frame);
                        }
                    }
                }
                ids.add((long) t.eot());
            }
            header(ids, ROLE_ASSISTANT);
            ids.add((long) t.audioOutBos());
            return new PromptTokens(ids.stream().mapToLong(Long::longValue).toArray(), frames.toArray(int[][]::new));
        }
    }

    /**
     * A waveform decoder with the shape of the real one (hop samples per frame, one frame of look-ahead: a frame's
     * samples come out when the next frame arrives or at finish); the samples are a deterministic function of the codes.
     */
    static final class HopDecoder implements WaveformDecoder {
        final int rate, hop;
        int openStreams;

        HopDecoder(int rate, int hop) {
            this.rate = rate;
            this.hop = hop;
        }

        @Override
        public int sampleRate() {
            return rate;
        }

        @Override
        public int samplesPerFrame() {
            return hop;
        }

        @Override
        public Stream open() {
            openStreams++;
            return new Stream() {
                int[] pending;
                long emitted;

                @Override
                public long emittedFrames() {
                    return emitted;
                }

                float[] render(int[] frame) {
                    emitted++;
                    float[] s = new float[hop];
                    for (int i = 0; i < hop; i++) s[i] = (frame[i % frame.length] - 512) / 1024f;
                    return s;
                }

                @Override
                public float[] push(int[] frame) {
                    float[] out = pending == null ? new float[0] : render(pending);
                    pending = frame.clone();
                    return out;
                }

                @Override
                public float[] finish() {
                    float[] out = pending == null ? new float[0] : render(pending);
                    pending = null;
                    return out;
                }

                @Override
                public void close() {
                    openStreams--;
                }
            };
        }

        @Override
        public void close() {}
    }

    /** Codes [K][F] with every code distinct per position, for voices and checks. */
    static int[][] codes(int k, int frames, int salt) {
        int[][] c = new int[k][frames];
        for (int i = 0; i < k; i++) for (int f = 0; f < frames; f++) c[i][f] = (salt * 131 + i * 37 + f * 11) % 1024;
        return c;
    }
}
