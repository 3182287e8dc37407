package org.higgsnarrator.ui.view;

import javafx.geometry.Insets;
import javafx.geometry.Pos;
import javafx.scene.control.Button;
import javafx.scene.control.Label;
import javafx.scene.control.ListCell;
import javafx.scene.control.ListView;
import javafx.scene.control.ProgressBar;
import javafx.scene.control.Tooltip;
import javafx.scene.layout.HBox;
import javafx.scene.layout.Priority;
import javafx.scene.layout.Region;
import javafx.scene.layout.VBox;
import org.higgsnarrator.ui.vm.RenderJob;
import org.higgsnarrator.ui.vm.RenderQueueViewModel;

/** The render queue: one row per segment job with progress, ×real-time, ETA and cancel. */
public final class QueuePane extends VBox {
    public QueuePane(RenderQueueViewModel q) {
        setSpacing(6);
        setPadding(new Insets(8));
        Label head = new Label("Render queue");
        head.getStyleClass().add("section-title");
        Label summary = new Label();
        summary.setId("queueSummary");
        summary.textProperty().bind(q.summaryProperty());
        summary.getStyleClass().add("hint");
        Button cancelAll = new Button("Cancel all");
        StudioWindow.bind(cancelAll, q.cancelAllCommand);
        Button clear = new Button("Clear finished");
        StudioWindow.bind(clear, q.clearFinishedCommand);
        Button resumeAll = new Button("Resume all");
        resumeAll.setId("resumeAll");
        StudioWindow.bind(resumeAll, q.resumeAllCommand);
        // shown only when there is something to resume
        resumeAll.visibleProperty().bind(javafx.beans.binding.Bindings.createBooleanBinding(
                () -> q.jobs().stream().anyMatch(j -> j.state() == RenderJob.State.INTERRUPTED), q.jobs(), q.summaryProperty()));
        resumeAll.managedProperty().bind(resumeAll.visibleProperty());
        Region spacer = new Region();
        HBox.setHgrow(spacer, Priority.ALWAYS);
        HBox bar = new HBox(8, head, summary, spacer, resumeAll, cancelAll, clear);
        bar.setAlignment(Pos.CENTER_LEFT);
        ListView<RenderJob> list = new ListView<>(q.jobs());
        list.setId("queue");
        list.setPlaceholder(new Label("Nothing queued. Render a segment (Ctrl+R), a chapter (F5) or the book (Shift+F5)."));
        list.setCellFactory(lv -> new JobCell(q));
        VBox.setVgrow(list, Priority.ALWAYS);
        getChildren().addAll(bar, list);
    }

    private static final class JobCell extends ListCell<RenderJob> {
        private final Label label = new Label();
        private final ProgressBar bar = new ProgressBar();
        private final Label msg = new Label();
        private final Label eta = new Label();
        private final Button cancel = new Button("Cancel");
        private final Button resume = new Button("Resume");
        private final Label where = new Label();
        private final HBox box;

        JobCell(RenderQueueViewModel q) {
            // a narrow pane shrinks the bar and the message (full text in its tooltip), never the Cancel button
            bar.setPrefWidth(90);
            bar.setMinWidth(40);
            msg.getStyleClass().add("hint");
            msg.setMinWidth(40);
            Tooltip tip = new Tooltip();
            tip.textProperty().bind(msg.textProperty());
            msg.setTooltip(tip);
            eta.getStyleClass().add("hint");
            eta.setMinWidth(Region.USE_PREF_SIZE);
            label.setMinWidth(170);
            label.setTextOverrun(javafx.scene.control.OverrunStyle.CENTER_ELLIPSIS);
            cancel.setMinWidth(Region.USE_PREF_SIZE);
            setPrefWidth(0); // the row follows the list's width instead of widening it
            cancel.getStyleClass().add("small");
            cancel.setOnAction(e -> {
                if (getItem() != null) q.cancel(getItem());
            });
            resume.getStyleClass().add("small");
            resume.setMinWidth(Region.USE_PREF_SIZE);
            resume.managedProperty().bind(resume.visibleProperty());
            resume.setOnAction(e -> {
                if (getItem() != null) q.resume(getItem());
            });
            // where the job renders: this computer or a server's address
            where.getStyleClass().add("hint");
            where.setMinWidth(Region.USE_PREF_SIZE);
            where.managedProperty().bind(where.visibleProperty());
            Region spacer = new Region();
            HBox.setHgrow(spacer, Priority.ALWAYS);
            box = new HBox(8, label, bar, where, msg, spacer, eta, resume, cancel);
            box.setAlignment(Pos.CENTER_LEFT);
        }

        @Override
        protected void updateItem(RenderJob j, boolean empty) {
            super.updateItem(j, empty);
            bar.progressProperty().unbind();
            msg.textProperty().unbind();
            eta.textProperty().unbind();
            cancel.disableProperty().unbind();
            resume.visibleProperty().unbind();
            where.textProperty().unbind();
            where.visibleProperty().unbind();
            if (empty || j == null) {
                setGraphic(null);
                return;
            }
            label.setText(j.label);
            bar.progressProperty().bind(j.progressProperty());
            msg.textProperty().bind(j.messageProperty());
            eta.textProperty().bind(j.etaProperty());
            cancel.disableProperty().bind(javafx.beans.binding.Bindings.createBooleanBinding(j::isFinished, j.stateProperty()));
            resume.visibleProperty().bind(javafx.beans.binding.Bindings.createBooleanBinding(
                    () -> j.state() == RenderJob.State.INTERRUPTED || j.state() == RenderJob.State.FAILED, j.stateProperty()));
            where.textProperty().bind(javafx.beans.binding.Bindings.createStringBinding(() -> j.renderer().isEmpty() ? "" : "on " + j.renderer(),
                    j.rendererProperty()));
            where.visibleProperty().bind(j.rendererProperty().isNotEmpty());
            setGraphic(box);
        }
    }
}
