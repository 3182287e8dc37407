package org.higgsnarrator.ui.vm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import org.higgsnarrator.project.Project;
import org.higgsnarrator.project.Project.GenerationSettings;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The project/chapters area: its commands and what it exposes read-only. */
class ProjectViewModelTest {
    @TempDir
    Path dir;
    StudioViewModel vm;
    ProjectViewModel project;

    @BeforeEach
    void setUp() {
        vm = StudioFixture.studio(dir);
        project = vm.project;
    }

    @Test
    void commandsWaitForAProject() {
        assertTrue(project.saveCommand.disabledProperty().get());
        assertTrue(project.addChapterCommand.disabledProperty().get());
        assertTrue(project.removeChapterCommand.disabledProperty().get());
        project.addChapterCommand.execute();
        assertTrue(project.chapters().isEmpty(), "a disabled command does nothing");
        assertFalse(project.projectOpenProperty().get());
        assertNull(project.assetsDir());

        project.newProject(dir.resolve("a"), "A");
        assertTrue(project.projectOpenProperty().get());
        assertFalse(project.saveCommand.disabledProperty().get());
        assertFalse(project.addChapterCommand.disabledProperty().get());
        assertFalse(project.removeChapterCommand.disabledProperty().get(), "the first chapter is selected");
        assertEquals("A — Higgs Narrator Studio", project.windowTitleProperty().get());
    }

    @Test
    void addSelectAndRemoveChapters() {
        project.newProject(dir.resolve("b"), "B");
        ChapterViewModel first = project.selectedChapter();
        first.scene.set("Recorded in a cave.");
        project.addChapterCommand.execute();
        ChapterViewModel second = project.selectedChapter();
        assertEquals(List.of(first, second), project.chapters());
        assertEquals("Chapter 2", second.title.get());
        assertEquals("Recorded in a cave.", second.scene.get(), "a new chapter keeps the last chapter's scene");
        assertTrue(project.isDirty());
        assertTrue(project.windowTitleProperty().get().startsWith("• "), project.windowTitleProperty().get());

        project.selectChapter(first);
        assertEquals(first, project.selectedChapter());
        project.selectChapter(new ChapterViewModel(new Project.Chapter("x", "Elsewhere", "", "", List.of())));
        assertEquals(first, project.selectedChapter(), "a chapter of no project is not selected");

        project.selectChapter(second);
        project.removeChapterCommand.execute();
        assertEquals(List.of(first), project.chapters());
        assertEquals(first, project.selectedChapter());
        project.removeChapterCommand.execute();
        assertEquals(1, project.chapters().size(), "a project keeps one chapter");
        assertTrue(vm.status.isError() && vm.status.message().contains("at least one chapter"), vm.status.message());
    }

    @Test
    void stateIsReadOnlyOutsideTheViewModels() {
        project.newProject(dir.resolve("c"), "C");
        ChapterViewModel c = project.selectedChapter();
        assertThrows(UnsupportedOperationException.class, () -> project.chapters().add(c));
        assertThrows(UnsupportedOperationException.class, () -> c.segments().add(null));
        assertThrows(UnsupportedOperationException.class, () -> c.rendered().put("h", new Project.RenderedSegment("h", List.of(), null)));
        assertFalse(project.selectedChapterProperty() instanceof javafx.beans.value.WritableValue<?>);
        assertFalse(project.settingsProperty() instanceof javafx.beans.value.WritableValue<?>);
        assertFalse(project.dirtyProperty() instanceof javafx.beans.value.WritableValue<?>);
    }

    @Test
    void generationSettingsFromTheSettingsDialog() {
        project.newProject(dir.resolve("d"), "D");
        project.selectedChapter().script.set("One sentence.");
        project.save();
        String hash = project.selectedChapter().segments().getFirst().hash();
        GenerationSettings before = project.settings();

        project.applyGenerationSettings(false, 0.7, 40, 0.9, 12, "not a number");
        assertEquals(before, project.settings(), "a bad seed changes nothing");
        assertTrue(vm.status.isError() && vm.status.message().startsWith("Settings not applied"), vm.status.message());
        assertFalse(project.isDirty());

        project.applyGenerationSettings(false, 0.7, 40, 2.0, 12, "99");
        assertEquals(before, project.settings(), "a value the engine refuses (top-p 2) changes nothing");
        assertTrue(vm.status.isError() && vm.status.message().startsWith("Settings not applied"), vm.status.message());
        project.applyGenerationSettings(true, 0.7, 40, 0.9, 12, " 99 ");
        GenerationSettings g = project.settings();
        assertEquals(new GenerationSettings(0.7, 40, 0.9, before.rasWindow(), before.rasMaxRepeats(), 12 * 25, 99, true), g);
        assertTrue(project.isDirty());
        assertNotEquals(hash, project.selectedChapter().segments().getFirst().hash(), "segments follow the settings");
        assertTrue(project.autosave());
        StudioViewModel again = StudioFixture.studio(dir);
        again.project.open(project.projectFile());
        assertEquals(g, again.project.settings(), "saved with the project");
    }

    @Test
    void bookInfoTheStudioDoesNotEditIsKeptOnSave() throws Exception {
        Path f = dir.resolve("book.narrator");
        Project.BookInfo info = new Project.BookInfo("A. Author", "en", "cover.jpg", "book.epub");
        Project p = Project.create("Book");
        org.higgsnarrator.project.ProjectStore.save(new Project(p.formatVersion(), p.title(), p.speakers(), p.voices(), p.chapters(),
                p.settings(), info, java.util.List.of(org.higgsnarrator.lexicon.LexiconRule.word("Hermione", "Her-my-oh-nee", false))), f);
        project.open(f);
        project.selectedChapter().script.set("Edited.");
        assertTrue(project.save());
        assertEquals(info, org.higgsnarrator.project.ProjectStore.load(f).book());
        assertEquals(info, project.toProject().book());
        assertEquals(1, org.higgsnarrator.project.ProjectStore.load(f).lexicon().size(), "the lexicon is kept too");
    }
}
