package org.higgsnarrator.engine;

/**
 * A voice a speaker is read with: a reference clip (its codec codes and transcript: voice cloning) or a text
 * description (a speaker profile in the scene block, e.g. "Male, American accent, … very clear audio."), or neither
 * (the model picks a voice).
 *
 * @param name           the speaker name the script uses ({@code Alice} for {@code Alice: …}, {@code SPEAKER1} for {@code [SPEAKER1] …}); {@link #NARRATOR} for untagged text
 * @param referenceCodes codec codes of the reference clip, [K][F], no BOS/EOS framing; null for none
 * @param transcript     what the reference clip says (required with a clip: the prompt pairs them)
 * @param description    speaker profile text; null for none
 */
public record Voice(String name, int[][] referenceCodes, String transcript, String description) {
    /** The voice of text without a speaker tag. */
    public static final String NARRATOR = "narrator";

    public Voice {
        if (name == null || name.isBlank()) throw new IllegalArgumentException("a voice needs a name");
        if (referenceCodes != null && (transcript == null || transcript.isBlank())) {
            throw new IllegalArgumentException("voice '" + name + "': a reference clip needs its transcript (what the clip says); pass clip.wav:transcript.txt");
        }
    }

    public static Voice cloned(String name, int[][] referenceCodes, String transcript) {
        return new Voice(name, referenceCodes, transcript, null);
    }

    public static Voice described(String name, String description) {
        return new Voice(name, null, null, description);
    }

    public boolean hasReference() {
        return referenceCodes != null;
    }
}
