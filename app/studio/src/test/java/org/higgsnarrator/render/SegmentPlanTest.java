package org.higgsnarrator.render;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import org.higgsnarrator.lexicon.LexiconRule;
import org.higgsnarrator.project.Project;
import org.higgsnarrator.ui.vm.SegmentHash;
import org.junit.jupiter.api.Test;

/** Rules that change a segment mark its takes out of date; rules that do not leave them valid. */
class SegmentPlanTest {
    private static Project project(List<LexiconRule> lexicon) {
        Project base = Project.create("Book");
        List<Project.Speaker> cast = List.of(base.speakers().getFirst(), new Project.Speaker("s2", "Alice", null));
        Project.Chapter c = new Project.Chapter("c1", "Chapter 1", "Audio is recorded from a quiet room.",
                "Hermione waved.\n\nAlice: A tomato, Hermione?\n", List.of());
        return new Project(Project.FORMAT_VERSION, "Book", cast, List.of(), List.of(c), base.settings(), Project.BookInfo.NONE, lexicon);
    }

    private static List<String> hashes(Project p) {
        return SegmentPlan.chapter(p, p.chapters().getFirst(), "tiny/fp32", Path.of("/tmp")).stream().map(SegmentPlan.Planned::hash).toList();
    }

    @Test
    void lexiconRulesChangeTheHashOfTheSegmentsTheyTouchOnly() {
        List<String> plain = hashes(project(List.of()));
        // Without a lexicon the hash is the studio's SegmentHash of the text, as before.
        var seg = SegmentPlan.chapter(project(List.of()), project(List.of()).chapters().getFirst(), "tiny/fp32", Path.of("/tmp")).getFirst();
        assertEquals(SegmentHash.of("Hermione waved.", seg.request().voice(), seg.request().scene(), seg.request().settings(), "tiny/fp32"), seg.hash());
        assertEquals(plain, hashes(project(List.of(LexiconRule.word("Gandalf", "Gan-dalf", false)))));
        List<String> hermione = hashes(project(List.of(LexiconRule.word("Hermione", "Her-my-oh-nee", false))));
        assertNotEquals(plain.get(0), hermione.get(0));
        assertNotEquals(plain.get(1), hermione.get(1));
        List<String> alice = hashes(project(List.of(LexiconRule.word("tomato", "tomahto", false).scoped(LexiconRule.Scope.VOICE, "Alice"))));
        assertEquals(plain.get(0), alice.get(0));
        assertNotEquals(plain.get(1), alice.get(1));
        var planned = SegmentPlan.chapter(project(List.of(LexiconRule.word("tomato", "tomahto", false).scoped(LexiconRule.Scope.VOICE, "Alice"))),
                project(List.of()).chapters().getFirst(), "tiny/fp32", Path.of("/tmp"));
        assertEquals("A tomato, Hermione?", planned.get(1).request().text()); // the editor's text is not touched
        assertTrue(planned.get(1).request().lexicon().apply("a tomato").contains("tomahto"));
        assertNull(planned.get(1).problem());
    }
}
