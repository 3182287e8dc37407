package org.higgsnarrator.decode;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;

/**
 * Reverts the delay pattern while generation runs, so that finished frames can be decoded to audio before the
 * chunk ends. Frame j of the result is complete once delayed frame j+K−1 exists (codebook k of frame j is delayed
 * frame j+k). The result equals the reference's {@code revert → clip(0, codebookSize−1) → drop first frame →
 * drop last frame if generation ended with stream EOS}: the first reverted frame is the all-BOS one, and the last one
 * after an EOS ending holds the stream EOS of codebook 0. One frame is therefore held back until the next arrives
 * or {@link #finish} tells how generation ended.
 */
public final class DelayReverter {
    private final int k;
    private final int maxCode;
    private final ArrayDeque<int[]> window = new ArrayDeque<>();
    private int delayedCount;
    private int[] held;

    /** @param codebookSize codes per codebook without the stream specials (1024): outputs are clipped to 0…size−1 */
    public DelayReverter(int numCodebooks, int codebookSize) {
        this.k = numCodebooks;
        this.maxCode = codebookSize - 1;
    }

    /** Adds the next delayed frame [K]; returns the frames that became final (0 or 1 of them), each [K]. */
    public List<int[]> push(int[] delayedFrame) {
        window.addLast(delayedFrame.clone());
        if (window.size() > k) window.removeFirst();
        delayedCount++;
        int j = delayedCount - k; // index of the reverted frame completed by this push
        if (j < 0) return List.of();
        int[] frame = new int[k];
        int c = 0;
        for (int[] d : window) { // window holds delayed frames j … j+K−1
            frame[c] = Math.clamp(d[c], 0, maxCode);
            c++;
        }
        List<int[]> out = new ArrayList<>(1);
        if (held != null) out.add(held);
        held = j == 0 ? null : frame; // reverted frame 0 is the BOS frame: never emitted
        return out;
    }

    /**
     * Ends the stream.
     *
     * @param endedWithEos true when generation stopped on an all-EOS frame (its last reverted frame is dropped, as
     *                     the reference does); false at a frame limit or cancellation (it is kept)
     */
    public List<int[]> finish(boolean endedWithEos) {
        int[] last = held;
        held = null;
        return last == null || endedWithEos ? List.of() : List.of(last);
    }

    /** Whole-sequence form: delayed frames [T][K] → codes [K][F]. */
    public static int[][] revert(List<int[]> delayedFrames, int numCodebooks, int codebookSize, boolean endedWithEos) {
        DelayReverter r = new DelayReverter(numCodebooks, codebookSize);
        List<int[]> frames = new ArrayList<>();
        for (int[] d : delayedFrames) frames.addAll(r.push(d));
        frames.addAll(r.finish(endedWithEos));
        int[][] codes = new int[numCodebooks][frames.size()];
        for (int f = 0; f < frames.size(); f++) {
            for (int c = 0; c < numCodebooks; c++) codes[c][f] = frames.get(f)[c];
        }
        return codes;
    }
}
