package org.higgsnarrator.ui.view;

import com.sun.javafx.scene.input.DragboardHelper;
import com.sun.javafx.tk.TKClipboard;
import java.io.File;
import java.io.IOException;
import java.lang.reflect.Proxy;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.EnumSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.atomic.AtomicReference;
import javafx.embed.swing.SwingFXUtils;
import javafx.geometry.Bounds;
import javafx.geometry.Point2D;
import javafx.scene.Node;
import javafx.scene.image.WritableImage;
import javafx.scene.input.DataFormat;
import javafx.scene.input.DragEvent;
import javafx.scene.input.Dragboard;
import javafx.scene.input.TransferMode;
import javax.imageio.ImageIO;
import javafx.stage.Stage;
import org.higgsnarrator.ui.StudioApp;
import org.higgsnarrator.ui.service.ExportFormat;
import org.higgsnarrator.ui.vm.StudioViewModel;
import org.testfx.api.FxRobot;

/** Helpers for the UI tests: file dialogs that answer with test files, synthetic file drops, screenshots. */
public final class FxTestSupport {
    private FxTestSupport() {}

    /** Dialogs that return preset answers instead of showing the platform's choosers. */
    public static final class PresetDialogs implements Dialogs {
        public Path newProject, openProject, saveAs, export, modelDir;
        public List<Path> audio = List.of();
        /** Answers to folder(…) and file(…), in order. */
        public final java.util.Deque<Path> folders = new java.util.ArrayDeque<>(), files = new java.util.ArrayDeque<>();

        @Override
        public Optional<Path> folder(String title) {
            return Optional.ofNullable(folders.poll());
        }

        @Override
        public Optional<Path> file(String title) {
            return Optional.ofNullable(files.poll());
        }

        @Override
        public Optional<Path> newProjectFile() {
            return Optional.ofNullable(newProject);
        }

        @Override
        public Optional<Path> openProjectFile() {
            return Optional.ofNullable(openProject);
        }

        @Override
        public Optional<Path> saveProjectAs() {
            return Optional.ofNullable(saveAs);
        }

        @Override
        public List<Path> audioFiles() {
            return audio;
        }

        @Override
        public Optional<Path> exportFile(ExportFormat format, String suggestedName) {
            return Optional.ofNullable(export);
        }

        @Override
        public Optional<Path> modelPackageDir() {
            return Optional.ofNullable(modelDir);
        }
    }

    /**
     * The studio window on {@code stage} at the screenshots' size (1280 × 800), installed without the periodic
     * autosave: on a busy machine its status line ("Autosaved …") replaced the one a test reads. The caller shows the
     * stage.
     */
    public static StudioWindow studio(Stage stage, StudioViewModel vm, Dialogs dialogs) {
        StudioWindow window = new StudioWindow(vm, dialogs);
        stage.setScene(StudioApp.scene(window));
        stage.setWidth(1280);
        stage.setHeight(800);
        StudioApp.install(stage, vm, javafx.util.Duration.hours(1));
        return window;
    }

    /**
     * Drops {@code files} onto {@code node} the way the OS does: DRAG_OVER then DRAG_DROPPED with a dragboard that
     * holds the files (docs/java-stack-notes.md §3: a real Dragboard over a proxy TKClipboard; must run on the FX thread).
     */
    public static void dropFiles(FxRobot robot, Node node, List<Path> files) {
        List<File> list = files.stream().map(Path::toFile).toList();
        robot.interact(() -> {
            TKClipboard peer = (TKClipboard) Proxy.newProxyInstance(TKClipboard.class.getClassLoader(), new Class<?>[] {TKClipboard.class},
                    (proxy, m, args) -> switch (m.getName()) {
                        case "hasContent" -> DataFormat.FILES.equals(args[0]);
                        case "getContent" -> DataFormat.FILES.equals(args[0]) ? list : null;
                        case "getContentTypes" -> Set.of(DataFormat.FILES);
                        case "getTransferModes" -> EnumSet.of(TransferMode.COPY);
                        case "hashCode" -> System.identityHashCode(proxy);
                        case "equals" -> proxy == args[0];
                        case "toString" -> "test dragboard " + list;
                        default -> m.getReturnType() == boolean.class ? false : m.getReturnType() == int.class ? 0
                                : m.getReturnType() == double.class ? 0.0 : null;
                    });
            Dragboard db = DragboardHelper.createDragboard(peer);
            Bounds b = node.getLayoutBounds();
            Point2D c = node.localToScene(b.getCenterX(), b.getCenterY());
            Point2D s = node.localToScreen(b.getCenterX(), b.getCenterY());
            for (var type : List.of(DragEvent.DRAG_ENTERED, DragEvent.DRAG_OVER, DragEvent.DRAG_DROPPED)) {
                node.fireEvent(new DragEvent(null, node, type, db, c.getX(), c.getY(), s.getX(), s.getY(), TransferMode.COPY, null, null, null));
            }
        });
    }

    /** Writes a PNG of {@code node} to {@code <repo>/screenshots/<name>.png} and returns the file. */
    public static Path screenshot(FxRobot robot, Node node, String name) throws IOException {
        AtomicReference<WritableImage> img = new AtomicReference<>();
        robot.interact(() -> img.set(node.snapshot(null, null)));
        Path dir = Path.of(System.getProperty("narrator.repo.root", ".")).resolve("screenshots");
        Files.createDirectories(dir);
        Path f = dir.resolve(name + ".png");
        ImageIO.write(SwingFXUtils.fromFXImage(img.get(), null), "png", f.toFile());
        return f;
    }
}
