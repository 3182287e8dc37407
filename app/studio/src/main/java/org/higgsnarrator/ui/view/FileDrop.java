package org.higgsnarrator.ui.view;

import java.io.File;
import java.nio.file.Path;
import java.util.List;
import java.util.function.Consumer;
import javafx.scene.Node;
import javafx.scene.input.DragEvent;
import javafx.scene.input.Dragboard;
import javafx.scene.input.TransferMode;

/** Makes a node accept dropped files (highlighted while files hover over it). */
public final class FileDrop {
    public static final String ACTIVE = "drop-active";

    private FileDrop() {}

    public static void install(Node node, Consumer<List<Path>> onFiles) {
        node.addEventHandler(DragEvent.DRAG_OVER, e -> {
            if (e.getDragboard().hasFiles()) {
                e.acceptTransferModes(TransferMode.COPY);
                e.consume();
            }
        });
        node.addEventHandler(DragEvent.DRAG_ENTERED, e -> {
            if (e.getDragboard().hasFiles() && !node.getStyleClass().contains(ACTIVE)) node.getStyleClass().add(ACTIVE);
        });
        node.addEventHandler(DragEvent.DRAG_EXITED, e -> node.getStyleClass().remove(ACTIVE));
        node.addEventHandler(DragEvent.DRAG_DROPPED, e -> {
            Dragboard db = e.getDragboard();
            boolean ok = db.hasFiles();
            if (ok) onFiles.accept(db.getFiles().stream().map(File::toPath).toList());
            node.getStyleClass().remove(ACTIVE);
            e.setDropCompleted(ok);
            e.consume();
        });
    }
}
