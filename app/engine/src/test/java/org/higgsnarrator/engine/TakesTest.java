package org.higgsnarrator.engine;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import java.util.concurrent.CancellationException;
import org.higgsnarrator.decode.GenerationOptions;
import org.junit.jupiter.api.Test;

/**
 * "New take ×N" on the bundled tiny package (real ORT sessions, real codec): the takes decoded together as one batch are
 * the takes that N single renders with seeds seed, seed+1, … give.
 */
class TakesTest extends TinyNarratorFixture {

    static SynthesisRequest segment(long seed) {
        int k = narrator.config().numCodebooks();
        return new SynthesisRequest("The night was long, and nobody slept.",
                Map.of(Voice.NARRATOR, Voice.cloned(Voice.NARRATOR, EngineFixtures.codes(k, 10, 3), "Hello there.")), List.of(),
                GenerationOptions.defaults().withSeed(seed).withMaxFrames(30));
    }

    @Test
    void batchedTakesEqualSingleRendersWithSuccessiveSeeds() {
        List<SynthesisResult> takes = narrator.synthesizeTakes(segment(7), 3, null, null);
        assertEquals(3, takes.size());
        for (int t = 0; t < 3; t++) {
            SynthesisResult alone = narrator.synthesize(segment(7 + t), null);
            SynthesisResult together = takes.get(t);
            assertEquals(1, together.chunks().size());
            int[][] a = alone.chunks().getFirst().codes(), b = together.chunks().getFirst().codes();
            for (int c = 0; c < a.length; c++) assertArrayEquals(a[c], b[c], "take " + t + " codebook " + c);
            assertArrayEquals(alone.pcm(), together.pcm(), "take " + t + " audio");
            assertTrue(together.pcm().length > 0);
        }
        assertFalse(java.util.Arrays.equals(takes.get(0).pcm(), takes.get(1).pcm()), "different seeds, different takes");
    }

    @Test
    void cancelledTakesStop() {
        assertThrows(CancellationException.class, () -> narrator.synthesizeTakes(segment(1), 2, null, () -> true));
    }
}
