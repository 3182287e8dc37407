package org.higgsnarrator.ui.script;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.higgsnarrator.text.TextNormalizer;
import org.junit.jupiter.api.Test;

class EffectTagTest {
    @Test
    void effectTagsWrapSelections() {
        assertEquals("[laugh]", EffectTag.LAUGH.apply(""));
        assertEquals("[music start] la la [music end]", EffectTag.MUSIC_SPAN.apply("la la"));
        assertEquals(true, EffectTag.ANY.matcher("so [Humming start] hmm").find());
    }

    /** The menu offers exactly the tags the engine's normalizer turns into sound events: one list, no drift. */
    @Test
    void menuCoversTheNormalizersSoundEvents() {
        Set<String> menu = new TreeSet<>();
        for (EffectTag t : EffectTag.values()) {
            menu.add(t.start);
            if (t.isSpan()) menu.add(t.end);
        }
        Set<String> engine = new TreeSet<>();
        for (Map.Entry<String, String> e : TextNormalizer.SOUND_EVENTS) engine.add(e.getKey());
        assertEquals(engine, menu);
        for (String tag : engine) {
            var m = EffectTag.ANY.matcher("a " + tag + " b");
            assertTrue(m.find() && m.group().equals(tag), tag);
            // what the menu inserts is what the engine renders as a sound event
            assertFalse(TextNormalizer.normalize(tag).contains(tag), tag);
        }
    }
}
