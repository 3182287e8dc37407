package org.higgsnarrator.decode;

/**
 * How Boson's release ends an audio stream under the delay pattern
 * (boson_multimodal/model/higgs_audio/modeling_higgs_audio.py L1551-1566, {@code _sample_audio_tokens}): after
 * sampling a frame,
 * <ul>
 *   <li>once an end is under way ({@code num_remaining_delays} set), codebooks {@code [0, K − remaining)} are forced
 *       to stream EOS and {@code remaining} counts down;</li>
 *   <li>otherwise, if some codebook emitted stream EOS, the first such index {@code idx} starts the end: codebooks
 *       before it are forced to EOS and {@code remaining = K − idx − 1};</li>
 *   <li>the stream ends when {@code remaining ≤ 0} — for the usual start at codebook 0, K − 1 steps later, with the
 *       last codebook of the last frame not forced.</li>
 * </ul>
 * The forcing overrides whatever was sampled (RAS included), as the release applies it after sampling.
 */
final class OfficialStreamEnd {
    private final int numCodebooks, streamEos;
    private int remaining = -1; // the release's num_remaining_delays; -1 = None

    OfficialStreamEnd(int numCodebooks, int streamEos) {
        this.numCodebooks = numCodebooks;
        this.streamEos = streamEos;
    }

    /** Forces the frame's EOS codes in place; true when the stream ends with this frame. */
    boolean apply(int[] frame) {
        if (remaining >= 0) {
            for (int c = 0; c < numCodebooks - remaining; c++) frame[c] = streamEos;
            remaining--;
        } else {
            for (int idx = 0; idx < numCodebooks; idx++) {
                if (frame[idx] != streamEos) continue;
                for (int c = 0; c < idx; c++) frame[c] = streamEos;
                remaining = numCodebooks - idx - 1;
                break;
            }
        }
        if (remaining != 0) return false;
        remaining = -1; // L1563-1566: the stream ends; the release resets its counters for a next stream
        return true;
    }
}
