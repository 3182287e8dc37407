package org.higgsnarrator.ui.vm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import org.higgsnarrator.project.Project.Take;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The segments & takes area: selection, takes, render commands, and why a render does not start. */
class SegmentsViewModelTest {
    @TempDir
    Path dir;
    StudioViewModel vm;
    SegmentsViewModel segments;

    @BeforeEach
    void setUp() {
        vm = StudioFixture.studio(dir);
        segments = vm.segments;
    }

    @Test
    void renderCommandsFollowProjectAndSelection() {
        assertTrue(segments.renderChapterCommand.disabledProperty().get());
        assertTrue(segments.renderBookCommand.disabledProperty().get());
        assertTrue(segments.renderSegmentCommand.disabledProperty().get());
        assertTrue(segments.newTakeCommand.disabledProperty().get());
        vm.project.newProject(dir.resolve("a"), "A");
        assertFalse(segments.renderChapterCommand.disabledProperty().get());
        assertFalse(segments.renderBookCommand.disabledProperty().get());
        vm.project.selectedChapter().script.set("One.\n\nTwo.");
        assertTrue(segments.renderSegmentCommand.disabledProperty().get(), "no segment selected");
        segments.selectSegment(vm.project.selectedChapter().segments().get(1));
        assertFalse(segments.renderSegmentCommand.disabledProperty().get());
        assertFalse(segments.newTakeCommand.disabledProperty().get());

        // the basic service has no engine: every render command says so and queues nothing
        segments.renderSegmentCommand.execute();
        assertTrue(vm.status.isError() && vm.status.message().contains("engine"), vm.status.message());
        vm.status.info("");
        segments.renderBookCommand.execute();
        assertTrue(vm.status.isError() && vm.status.message().contains("engine"), vm.status.message());
        assertTrue(vm.queue.jobs().isEmpty());

        segments.renderSegmentAt(-1, false);
        assertEquals("Put the caret in a segment of the script to render it.", vm.status.message());
    }

    @Test
    void takesOfTheSelectedSegmentAndChoosingOne() throws Exception {
        vm.project.newProject(dir.resolve("b"), "B");
        vm.project.selectedChapter().script.set("First.\n\nSecond.");
        StudioFixture.withTakes(vm, 2);
        ChapterViewModel c = vm.project.selectedChapter();
        SegmentRow row = c.segments().get(1);
        assertTrue(segments.isUpToDate(row));
        assertTrue(segments.takes().isEmpty());

        segments.selectSegment(row);
        assertEquals(2, segments.takes().size());
        Take first = segments.takes().get(0), second = segments.takes().get(1);
        assertEquals(first, segments.chosenTakeProperty().get());
        assertThrows(UnsupportedOperationException.class, () -> segments.takes().clear());

        segments.chooseTake(second);
        assertEquals(second, segments.chosenTakeProperty().get());
        assertEquals("t1", c.rendered().get(row.hash()).chosenTakeId());
        assertEquals(second, c.segments().get(1).chosenTake(), "the row follows the chosen take");
        assertTrue(c.segments().get(1).status().contains("take 2 of 2"), c.segments().get(1).status());
        assertTrue(vm.project.isDirty());

        segments.selectSegment(null);
        assertTrue(segments.takes().isEmpty());
        assertNull(segments.chosenTakeProperty().get());
    }

    @Test
    void editingASegmentMakesItStaleAndExportSaysWhat() throws Exception {
        vm.project.newProject(dir.resolve("e"), "E");
        ChapterViewModel c = vm.project.selectedChapter();
        c.script.set("Kept.\n\nEdited.");
        StudioFixture.withTakes(vm, 1);
        c = vm.project.selectedChapter();
        c.script.set("Kept.\n\nEdited, now longer.");
        assertTrue(segments.isUpToDate(c.segments().get(0)));
        assertFalse(segments.isUpToDate(c.segments().get(1)));
        segments.export(java.util.List.of(c), org.higgsnarrator.ui.service.ExportFormat.WAV, dir.resolve("e.wav"));
        assertTrue(vm.status.isError() && vm.status.message().contains("(1 not rendered)"), vm.status.message());
    }
}
