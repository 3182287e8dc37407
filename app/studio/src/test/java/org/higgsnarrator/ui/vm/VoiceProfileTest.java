package org.higgsnarrator.ui.vm;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class VoiceProfileTest {
    @Test
    void composesTheReleaseProfileExactly() {
        assertEquals(VoiceProfile.MALE_EN, VoiceProfile.compose("Male", "American", "modern", "moderate", "friendly", "very clear"));
    }

    @Test
    void blankAttributesAreLeftOut() {
        assertEquals("Female, British accent, and low-pitch.", VoiceProfile.compose("Female", "British", "", "low", null, " "));
        assertEquals("Female.", VoiceProfile.compose("Female", null, null, null, null, null));
        assertEquals("", VoiceProfile.compose(null, null, null, null, null, null));
    }
}
