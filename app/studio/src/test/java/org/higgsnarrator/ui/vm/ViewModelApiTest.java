package org.higgsnarrator.ui.vm;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.lang.reflect.Field;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import javafx.beans.value.WritableValue;
import org.junit.jupiter.api.Test;

/**
 * Views bind and call commands; they cannot write view-model state. Checked on the public surface of the studio's
 * view models: no public field or getter hands out a writable value, except the author's input fields that views
 * bind bidirectionally (chapter title, scene and script; a voice's name, description and transcript).
 */
class ViewModelApiTest {
    static final List<Class<?>> VIEW_MODELS = List.of(StudioViewModel.class, StatusViewModel.class, SessionViewModel.class,
            ProjectViewModel.class, CastViewModel.class, SegmentsViewModel.class, PlayerViewModel.class, RenderQueueViewModel.class,
            RenderJob.class, BookRenderViewModel.class, BookRenderViewModel.ChapterRow.class, ChapterViewModel.class, SpeakerViewModel.class, VoiceViewModel.class, Command.class);
    static final Set<String> INPUTS = Set.of("ChapterViewModel.title", "ChapterViewModel.scene", "ChapterViewModel.script",
            "VoiceViewModel.name", "VoiceViewModel.description", "VoiceViewModel.transcript");

    @Test
    void noWritableStateBeyondTheAuthorsInput() {
        List<String> writable = new ArrayList<>();
        for (Class<?> c : VIEW_MODELS) {
            for (Field f : c.getFields()) {
                String name = c.getSimpleName() + "." + f.getName();
                if (!Modifier.isFinal(f.getModifiers())) writable.add(name + " (not final)");
                else if (WritableValue.class.isAssignableFrom(f.getType()) && !INPUTS.contains(name)) writable.add(name);
            }
            for (Method m : c.getMethods()) {
                if (m.getParameterCount() == 0 && WritableValue.class.isAssignableFrom(m.getReturnType())) {
                    writable.add(c.getSimpleName() + "." + m.getName() + "()");
                }
            }
        }
        assertEquals(List.of(), writable, "view-model state a view could write");
    }
}
