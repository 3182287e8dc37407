package org.higgsnarrator.decode;

import java.util.Arrays;
import org.higgsnarrator.config.ModelConfig;

/**
 * What each position of a KV cache holds: a text id, or the audio frame fed at an audio position
 * ({@code <|AUDIO_OUT|>} / {@code <|AUDIO|>} / delay: the prefill graph embeds them alike, from the codes, and routes
 * them alike through the audio expert). The cache's rows for the first L positions serve any prompt whose first L
 * positions are the same (attention is causal): {@link #commonPrefix} finds L. Used by {@link KvSession} (a job's
 * chunks) and {@link BatchScheduler} (the voice prefix that a book's segments share).
 */
final class PromptPositions {
    /**
     * A voice prefix shorter than this is not prefilled on its own ({@link #ownTurnStart}) nor copied between slots
     * ({@link BatchScheduler}): not worth a call or a copy.
     */
    static final int MIN_PREFIX = 16;
    private final int audioOut, audioIn, audioDelay, startHeader;
    private long[] ids = new long[256];
    /** Per position: the frame fed there, or null at a text position. */
    private int[][] frames = new int[256][];
    private int size;

    PromptPositions(ModelConfig config) {
        this.audioOut = config.tokens().audioOut();
        this.audioIn = config.tokens().audioIn();
        this.audioDelay = config.tokens().audioDelay();
        this.startHeader = config.tokens().startHeader();
    }

    /**
     * Where the prompt's own turn starts: the {@code <|start_header_id|>} before the last one (the last opens the
     * assistant's answer). Everything before it — system, scene, a cloned voice's transcript and clip, earlier chunks —
     * is what segments in one voice share. A fresh prompt is prefilled in two calls split here, on a job's own KV
     * session ({@link KvSession}) as in a batch ({@link BatchScheduler}, which copies the first part between slots),
     * so that both give the same bits. 0 when the prompt has no such turn or its prefix is shorter than
     * {@value #MIN_PREFIX}.
     */
    int ownTurnStart(PromptTokens prompt) {
        long[] p = prompt.ids();
        int last = -1, before = -1;
        for (int i = 0; i < p.length; i++) {
            if (p[i] == startHeader) {
                before = last;
                last = i;
            }
        }
        return before >= MIN_PREFIX ? before : 0;
    }

    /** {@code prompt}'s first {@code n} positions, as a prompt. */
    PromptTokens head(PromptTokens prompt, int n) {
        long[] p = prompt.ids();
        int audio = 0;
        for (int i = 0; i < n; i++) if (isAudio(p[i])) audio++;
        return new PromptTokens(java.util.Arrays.copyOf(p, n), java.util.Arrays.copyOf(prompt.audioFrames(), audio));
    }

    boolean isAudio(long id) {
        return id == audioOut || id == audioIn || id == audioDelay;
    }

    int size() {
        return size;
    }

    /** How many leading positions of {@code prompt} are the ones recorded here, as the model sees them. */
    int commonPrefix(PromptTokens prompt) {
        long[] p = prompt.ids();
        int[][] pf = prompt.audioFrames();
        int n = Math.min(size, p.length), frame = 0;
        for (int i = 0; i < n; i++) {
            boolean audio = isAudio(p[i]);
            if (audio != (frames[i] != null)) return i;
            if (audio ? !Arrays.equals(frames[i], pf[frame++]) : p[i] != ids[i]) return i;
        }
        return n;
    }

    /** Keeps the first {@code n} positions. */
    void truncate(int n) {
        if (n < 0 || n > size) throw new IllegalArgumentException("truncate to " + n + " of " + size + " positions");
        size = n;
    }

    /** {@code prompt}'s positions from {@code keep} on, as a prompt: its ids and the frames of its audio positions. */
    PromptTokens rest(PromptTokens prompt, int keep) {
        long[] p = prompt.ids();
        int firstFrame = 0;
        for (int i = 0; i < keep; i++) if (isAudio(p[i])) firstFrame++;
        long[] rest = Arrays.copyOfRange(p, keep, p.length);
        int audio = 0;
        for (long id : rest) if (isAudio(id)) audio++;
        return new PromptTokens(rest, Arrays.copyOfRange(prompt.audioFrames(), firstFrame, firstFrame + audio));
    }

    /** Appends the positions of {@code tail} (what was just prefilled after the kept ones). */
    void recordAll(PromptTokens tail) {
        int f = 0;
        for (long id : tail.ids()) record(id, isAudio(id) ? tail.audioFrames()[f++] : null);
    }

    void record(long id, int[] frame) {
        if (size == ids.length) {
            ids = Arrays.copyOf(ids, size * 2);
            frames = Arrays.copyOf(frames, size * 2);
        }
        ids[size] = id;
        frames[size] = frame;
        size++;
    }

    /**
     * What is recorded, as a prompt: the ids (every audio position as {@code <|AUDIO_OUT|>}, since the model embeds
     * both placeholders alike) and the frames of its audio positions.
     */
    PromptTokens asPrompt() {
        long[] out = Arrays.copyOf(ids, size);
        int audio = 0;
        for (int i = 0; i < size; i++) if (frames[i] != null) audio++;
        int[][] f = new int[audio][];
        for (int i = 0, a = 0; i < size; i++) {
            if (frames[i] != null) {
                out[i] = audioOut;
                f[a++] = frames[i];
            }
        }
        return new PromptTokens(size == 0 ? new long[] {0} : out, f);
    }
}
