package org.higgsnarrator.ui.vm;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.higgsnarrator.project.Project;
import org.higgsnarrator.project.Project.Chapter;
import org.higgsnarrator.project.Project.RenderedSegment;
import org.higgsnarrator.project.Project.Take;
import org.higgsnarrator.project.ProjectStore;
import org.higgsnarrator.ui.TestAudio;
import org.higgsnarrator.ui.concurrent.SynchronousExecutor;
import org.higgsnarrator.ui.service.BasicNarrationService;

/** The studio's view models on the real basic service with a synchronous executor: what the area tests start from. */
final class StudioFixture {
    private StudioFixture() {}

    static StudioViewModel studio(Path dir) {
        return new StudioViewModel(new BasicNarrationService(), new SynchronousExecutor(), dir.resolve("config/settings.json"), System::nanoTime);
    }

    /**
     * Gives every segment of the selected chapter {@code takesPerSegment} takes (real WAV files in the assets
     * folder, the first one chosen), saves and reopens the project: the state a project has after rendering,
     * without needing an engine.
     */
    static void withTakes(StudioViewModel vm, int takesPerSegment) throws IOException {
        ChapterViewModel c = vm.project.selectedChapter();
        Path assets = vm.project.assetsDir();
        List<RenderedSegment> rendered = new ArrayList<>();
        for (SegmentRow r : c.segments()) {
            List<Take> takes = new ArrayList<>();
            for (int k = 0; k < takesPerSegment; k++) {
                Path rel = Path.of("takes", r.hash() + "-" + k + ".wav");
                Files.createDirectories(assets.resolve(rel).getParent());
                TestAudio.writeWav(assets.resolve(rel), 24_000, 1, 0.0, 0.5 + 0.25 * k);
                takes.add(new Take("t" + k, rel.toString(), 0.5 + 0.25 * k, k, "2026-01-01T00:00:00Z", "test"));
            }
            rendered.add(new RenderedSegment(r.hash(), takes, "t0"));
        }
        Project p = vm.project.toProject();
        List<Chapter> chapters = p.chapters().stream()
                .map(ch -> ch.id().equals(c.id) ? new Chapter(ch.id(), ch.title(), ch.scene(), ch.script(), rendered) : ch).toList();
        ProjectStore.save(p.withChapters(chapters), vm.project.projectFile());
        vm.project.open(vm.project.projectFile());
    }
}
