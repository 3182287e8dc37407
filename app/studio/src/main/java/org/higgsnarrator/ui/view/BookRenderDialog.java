package org.higgsnarrator.ui.view;

import javafx.beans.binding.Bindings;
import javafx.geometry.Insets;
import javafx.geometry.Pos;
import javafx.scene.Scene;
import javafx.scene.control.Button;
import javafx.scene.control.CheckBox;
import javafx.scene.control.ChoiceBox;
import javafx.scene.control.Label;
import javafx.scene.control.ProgressBar;
import javafx.scene.control.TableCell;
import javafx.scene.control.TableColumn;
import javafx.scene.control.TableView;
import javafx.scene.control.TextField;
import javafx.scene.layout.GridPane;
import javafx.scene.layout.HBox;
import javafx.scene.layout.Priority;
import javafx.scene.layout.Region;
import javafx.scene.layout.VBox;
import javafx.stage.Stage;
import javafx.stage.Window;
import javafx.util.StringConverter;
import org.higgsnarrator.render.BookRender.CaptionFormat;
import org.higgsnarrator.ui.vm.BookRenderViewModel;
import org.higgsnarrator.ui.vm.BookRenderViewModel.ChapterRow;

/**
 * Render → Render book…: output folder, format, captions and read-along; one row per chapter with its state, a
 * progress bar and detail; the whole render's progress and ETA; Render (again: continues) and Cancel. A window of its
 * own, not modal: the render runs on while it is closed, and reopening shows where it is.
 */
public final class BookRenderDialog extends Stage {
    public BookRenderDialog(Window owner, BookRenderViewModel vm, Dialogs dialogs) {
        initOwner(owner);
        setTitle("Render book");

        TextField folder = new TextField();
        folder.setId("bookOutDir");
        folder.setEditable(false);
        folder.textProperty().bind(Bindings.createStringBinding(() -> vm.outDirProperty().get() == null ? "" : vm.outDirProperty().get().toString(),
                vm.outDirProperty()));
        HBox.setHgrow(folder, Priority.ALWAYS);
        Button choose = new Button("_Choose…");
        choose.setId("bookChooseOutDir");
        choose.setOnAction(e -> dialogs.folder("Render the book into this folder").ifPresent(vm::setOutDir));
        choose.disableProperty().bind(vm.runningProperty());

        ChoiceBox<String> format = new ChoiceBox<>();
        format.setId("bookFormat");
        format.getItems().setAll(vm.formats());
        format.setValue(vm.formatProperty().get());
        format.setConverter(new StringConverter<>() {
            @Override
            public String toString(String f) {
                return f == null ? "" : f.equals("m4b") ? "M4B audiobook (+ .m4a chapters)" : f.toUpperCase(java.util.Locale.ROOT) + " chapters";
            }

            @Override
            public String fromString(String s) {
                return s;
            }
        });
        format.valueProperty().addListener((o, a, f) -> vm.setFormat(f));
        vm.formatProperty().addListener((o, a, f) -> format.setValue(f));
        format.disableProperty().bind(vm.runningProperty());

        ChoiceBox<CaptionFormat> captions = new ChoiceBox<>();
        captions.setId("bookCaptions");
        captions.getItems().setAll(CaptionFormat.values());
        captions.setValue(vm.captionsProperty().get());
        captions.setConverter(new StringConverter<>() {
            @Override
            public String toString(CaptionFormat c) {
                return c == null ? "" : switch (c) {
                    case NONE -> "none";
                    case SRT -> "SRT, a cue per sentence";
                    case VTT -> "WebVTT, a cue per sentence";
                };
            }

            @Override
            public CaptionFormat fromString(String s) {
                return CaptionFormat.valueOf(s);
            }
        });
        captions.valueProperty().addListener((o, a, c) -> vm.setCaptions(c));
        captions.disableProperty().bind(vm.runningProperty());

        CheckBox readAlong = new CheckBox("Read-along EPUB (text highlighted with the audio)");
        readAlong.setId("bookReadAlong");
        readAlong.setSelected(vm.readAlongProperty().get());
        readAlong.selectedProperty().addListener((o, a, on) -> vm.setReadAlong(on));
        readAlong.disableProperty().bind(vm.runningProperty());

        GridPane form = new GridPane();
        form.setHgap(8);
        form.setVgap(6);
        form.addRow(0, new Label("Folder"), new HBox(6, folder, choose));
        form.addRow(1, new Label("Format"), format);
        form.addRow(2, new Label("Captions"), captions);
        form.add(readAlong, 1, 3);
        Label where = new Label();
        where.setId("bookRenderer");
        where.textProperty().bind(vm.rendererProperty());
        form.add(where, 1, 4);
        GridPane.setHgrow(form.getChildren().get(1), Priority.ALWAYS);

        TableView<ChapterRow> table = new TableView<>(vm.chapters());
        table.setId("bookChapters");
        table.setColumnResizePolicy(TableView.CONSTRAINED_RESIZE_POLICY_FLEX_LAST_COLUMN);
        table.setPlaceholder(new Label("Open a project to render it."));
        TableColumn<ChapterRow, Number> num = new TableColumn<>("#");
        num.setCellValueFactory(c -> new javafx.beans.property.SimpleIntegerProperty(c.getValue().number()));
        num.setMaxWidth(40);
        num.setMinWidth(32);
        TableColumn<ChapterRow, String> title = new TableColumn<>("Chapter");
        title.setCellValueFactory(c -> new javafx.beans.property.SimpleStringProperty(c.getValue().title()));
        title.setPrefWidth(200);
        TableColumn<ChapterRow, BookRenderViewModel.State> state = new TableColumn<>("State");
        state.setCellValueFactory(c -> c.getValue().stateProperty());
        state.setPrefWidth(100);
        state.setCellFactory(col -> new TableCell<>() {
            @Override
            protected void updateItem(BookRenderViewModel.State s, boolean empty) {
                super.updateItem(s, empty);
                setText(empty || s == null ? null : s.name().toLowerCase(java.util.Locale.ROOT).replace('_', ' '));
            }
        });
        TableColumn<ChapterRow, Number> prog = new TableColumn<>("Progress");
        prog.setCellValueFactory(c -> c.getValue().progressProperty());
        prog.setPrefWidth(120);
        prog.setCellFactory(col -> new TableCell<>() {
            private final ProgressBar bar = new ProgressBar(0);

            {
                bar.setMaxWidth(Double.MAX_VALUE);
            }

            @Override
            protected void updateItem(Number p, boolean empty) {
                super.updateItem(p, empty);
                if (empty || p == null) {
                    setGraphic(null);
                } else {
                    bar.setProgress(p.doubleValue());
                    setGraphic(bar);
                }
            }
        });
        TableColumn<ChapterRow, String> detail = new TableColumn<>("Detail");
        detail.setCellValueFactory(c -> c.getValue().detailProperty());
        detail.setPrefWidth(330);
        table.getColumns().addAll(java.util.List.of(num, title, state, prog, detail));
        VBox.setVgrow(table, Priority.ALWAYS);

        ProgressBar overall = new ProgressBar();
        overall.setId("bookProgress");
        overall.progressProperty().bind(vm.progressProperty());
        overall.setPrefWidth(200);
        Label summary = new Label();
        summary.setId("bookSummary");
        summary.textProperty().bind(vm.summaryProperty());
        summary.setWrapText(true);
        HBox.setHgrow(summary, Priority.ALWAYS);
        HBox progressRow = new HBox(10, overall, summary);
        progressRow.setAlignment(Pos.CENTER_LEFT);

        Button render = new Button("_Render");
        render.setId("bookRender");
        render.setDefaultButton(true);
        StudioWindow.bind(render, vm.renderCommand);
        Button cancel = new Button("C_ancel render");
        cancel.setId("bookCancel");
        StudioWindow.bind(cancel, vm.cancelCommand);
        Button close = new Button("Close");
        close.setId("bookClose");
        close.setCancelButton(true);
        close.setOnAction(e -> hide());
        Label hint = new Label("Rendered takes are kept in the project: Render again continues a cancelled or interrupted render.");
        hint.getStyleClass().add("hint");
        hint.setWrapText(true);
        hint.setMinWidth(0);
        hint.setMaxWidth(Double.MAX_VALUE);
        HBox.setHgrow(hint, Priority.ALWAYS);
        for (Button b : java.util.List.of(render, cancel, close)) b.setMinWidth(Region.USE_PREF_SIZE);
        HBox buttons = new HBox(8, hint, render, cancel, close);
        buttons.setAlignment(Pos.CENTER_RIGHT);

        VBox root = new VBox(10, form, table, progressRow, buttons);
        root.setPadding(new Insets(12));
        root.getStyleClass().add("book-render");
        Scene scene = new Scene(root, 900, 460);
        if (owner != null && owner.getScene() != null) scene.getStylesheets().setAll(owner.getScene().getStylesheets());
        setScene(scene);
    }
}
