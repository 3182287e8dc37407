package org.higgsnarrator.ui.view;

import javafx.geometry.Insets;
import javafx.geometry.Pos;
import javafx.scene.control.Button;
import javafx.scene.control.ComboBox;
import javafx.scene.control.Label;
import javafx.scene.control.ListCell;
import javafx.scene.control.ListView;
import javafx.scene.layout.HBox;
import javafx.scene.layout.Priority;
import javafx.scene.layout.Region;
import javafx.scene.layout.VBox;
import javafx.util.StringConverter;
import org.higgsnarrator.project.Project.Take;
import org.higgsnarrator.ui.vm.CastViewModel;
import org.higgsnarrator.ui.vm.ProjectViewModel;
import org.higgsnarrator.ui.vm.SegmentRow;
import org.higgsnarrator.ui.vm.SegmentsViewModel;

/** The selected chapter's segments: speaker, words, render state; render / new take / choose take per segment. */
public final class SegmentsPane extends VBox {
    public final ListView<SegmentRow> list = new ListView<>();
    private final ComboBox<Take> takes = new ComboBox<>();

    public SegmentsPane(SegmentsViewModel vm, CastViewModel cast, ProjectViewModel project) {
        setSpacing(6);
        setPadding(new Insets(6, 0, 0, 0));
        list.setId("segments");
        list.setPlaceholder(new Label("Type the script above: one paragraph or one 'Name:' line per segment."));
        list.setCellFactory(lv -> new RowCell(cast));
        list.setPrefHeight(170);
        project.selectedChapterProperty().addListener((o, a, c) -> list.setItems(c == null ? null : c.segments()));
        list.getSelectionModel().selectedItemProperty().addListener((o, a, r) -> vm.selectSegment(r));

        Button render = new Button("_Render segment");
        render.setId("renderSegment");
        StudioWindow.bind(render, vm.renderSegmentCommand);
        Button again = new Button("New _take");
        again.setId("newTake");
        StudioWindow.bind(again, vm.newTakeCommand);
        takes.setId("takes");
        takes.setPromptText("Takes");
        takes.setConverter(new StringConverter<>() {
            @Override
            public String toString(Take t) {
                // short enough for the bar; the full record (time, seed) is in the tooltip
                return t == null ? "" : String.format("Take %d of %d · %.1f s", takes.getItems().indexOf(t) + 1, takes.getItems().size(), t.seconds());
            }

            @Override
            public Take fromString(String s) {
                return null;
            }
        });
        takes.setItems(vm.takes());
        takes.disableProperty().bind(javafx.beans.binding.Bindings.size(vm.takes()).lessThan(2));
        vm.chosenTakeProperty().addListener((o, a, t) -> takes.setValue(t));
        takes.setOnAction(e -> vm.chooseTake(takes.getValue()));
        takes.valueProperty().addListener((o, a, t) -> takes.setTooltip(t == null ? null
                : new javafx.scene.control.Tooltip("rendered " + t.createdAt().replace('T', ' ').replaceAll("\\..*", "") + " · seed " + t.seed())));
        Label head = new Label("Segments");
        head.getStyleClass().add("section-title");
        Region spacer = new Region();
        HBox.setHgrow(spacer, Priority.ALWAYS);
        // the title and buttons keep their full text; the takes box gives way when the pane is narrow
        for (Region r : new Region[] {head, render, again}) r.setMinWidth(Region.USE_PREF_SIZE);
        takes.setMinWidth(60);
        takes.setPrefWidth(170);
        HBox bar = new HBox(6, head, spacer, takes, render, again);
        bar.setAlignment(Pos.CENTER_LEFT);
        VBox.setVgrow(list, Priority.ALWAYS);
        getChildren().addAll(bar, list);
    }

    private static final class RowCell extends ListCell<SegmentRow> {
        private final Label num = new Label();
        private final Label speaker = new Label();
        private final Label text = new Label();
        private final Label status = new Label();
        /** Shown before the text when the chosen take was flagged by the take checks (the reason is the tooltip). */
        private final Label flag = new Label("⚑ check take");
        private final HBox box;
        private final CastViewModel vm;

        RowCell(CastViewModel vm) {
            this.vm = vm;
            num.getStyleClass().add("segment-num");
            num.setMinWidth(28);
            speaker.getStyleClass().add("speaker-badge");
            speaker.setMinWidth(Region.USE_PREF_SIZE);
            text.setMaxWidth(Double.MAX_VALUE);
            HBox.setHgrow(text, Priority.ALWAYS);
            status.getStyleClass().add("segment-status");
            status.setMinWidth(Region.USE_PREF_SIZE);
            flag.getStyleClass().addAll("segment-status", "problem");
            flag.setMinWidth(Region.USE_PREF_SIZE);
            flag.managedProperty().bind(flag.visibleProperty());
            box = new HBox(8, num, speaker, flag, text, status);
            box.setAlignment(Pos.CENTER_LEFT);
        }

        @Override
        protected void updateItem(SegmentRow r, boolean empty) {
            super.updateItem(r, empty);
            if (empty || r == null) {
                setGraphic(null);
                return;
            }
            num.setText("§" + (r.segment().index() + 1));
            speaker.setText(r.speaker() == null ? "?" : r.speaker().name());
            speaker.getStyleClass().removeIf(c -> c.startsWith("spk-"));
            if (r.speaker() != null) speaker.getStyleClass().add("spk-" + Math.max(0, vm.speakers().indexOf(r.speaker())) % 6);
            text.setText(r.segment().text());
            status.setText(r.takeStatus()); // the flag has its own label
            status.getStyleClass().removeAll("ok", "problem");
            Take chosen = r.chosenTake();
            if (r.problem() != null || (chosen != null && chosen.flagged())) status.getStyleClass().add("problem");
            else if (r.rendered() != null) status.getStyleClass().add("ok");
            flag.setVisible(chosen != null && chosen.flagged());
            // a flagged take says why (the take checks' numbers) and that "New take" re-rolls it
            setTooltip(chosen != null && chosen.flagged() ? new javafx.scene.control.Tooltip("Take checks: " + chosen.qa() + ". Use New take to re-roll it.") : null);
            setGraphic(box);
        }
    }
}
