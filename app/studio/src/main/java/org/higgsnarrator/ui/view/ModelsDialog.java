package org.higgsnarrator.ui.view;

import java.nio.file.Path;
import javafx.beans.binding.Bindings;
import javafx.collections.ListChangeListener;
import javafx.geometry.Insets;
import javafx.scene.Node;
import javafx.scene.control.Button;
import javafx.scene.control.ButtonType;
import javafx.scene.control.ChoiceBox;
import javafx.scene.control.Dialog;
import javafx.scene.control.Label;
import javafx.scene.control.ListCell;
import javafx.scene.control.ListView;
import javafx.scene.control.ProgressBar;
import javafx.scene.control.ScrollPane;
import javafx.scene.control.TextField;
import javafx.scene.control.TitledPane;
import javafx.scene.layout.GridPane;
import javafx.scene.layout.HBox;
import javafx.scene.layout.Priority;
import javafx.scene.layout.Region;
import javafx.scene.layout.VBox;
import javafx.stage.Window;
import org.higgsnarrator.models.Digests;
import org.higgsnarrator.models.ModelStore;
import org.higgsnarrator.pkg.Precision;
import org.higgsnarrator.ui.vm.ModelsViewModel;

/**
 * Models: what the real model needs here (per precision, with the advice and the device), the installed packages
 * (use, verify, remove), import of a downloaded Hugging Face folder and the download itself, with one progress bar
 * and Cancel for whatever runs. Everything it shows is {@link ModelsViewModel} state.
 */
public final class ModelsDialog extends Dialog<ButtonType> {
    public ModelsDialog(Window owner, ModelsViewModel vm, Dialogs dialogs) {
        initOwner(owner);
        setTitle("Models");
        setResizable(true);
        getDialogPane().getStyleClass().add("models");

        Label intro = wrapped("");
        intro.setId("modelsIntro");
        intro.textProperty().bind(Bindings.createStringBinding(() -> vm.onlyTestModels.get()
                ? "Only the bundled test model is installed. It has random weights: it exercises the whole pipeline but does not speak. "
                + "To narrate, get the real Higgs Audio v2 model: download it from Hugging Face below, or import a folder you downloaded."
                : "Installed model packages. The studio uses one at a time; import or download another below.", vm.onlyTestModels));
        intro.getStyleClass().add("banner-warning");
        Label device = wrapped("");
        device.setId("modelsDevice");
        device.textProperty().bind(vm.device);

        // ---- what it needs, per precision
        Label basis = wrapped("");
        basis.textProperty().bind(Bindings.concat("Needs of ", vm.estimateBasis, " (memory includes the KV cache and runtime):"));
        GridPane table = new GridPane(18, 4);
        table.setId("estimates");
        Runnable fill = () -> {
            table.getChildren().clear();
            table.addRow(0, head("Precision"), head("Disk"), head("Memory"), head("Fits in RAM"), head("Measured speed"));
            int row = 1;
            for (ModelsViewModel.EstimateRow r : vm.estimates) {
                Label p = new Label(r.precision() + (r.advised() ? "  ★ advised" : ""));
                if (r.advised()) p.setStyle("-fx-font-weight: bold");
                table.addRow(row++, p, new Label(r.disk()), new Label(r.ram()), new Label(r.fits() ? "yes" : "no"),
                        new Label(r.measured() == null ? "not measured (./narrator bench)" : r.measured()));
            }
            // columns take their text's width: a clipped "21.6 GB" is no use
            for (Node n : table.getChildren()) if (n instanceof Label l) l.setMinWidth(Region.USE_PREF_SIZE);
        };
        vm.estimates.addListener((ListChangeListener<ModelsViewModel.EstimateRow>) c -> fill.run());
        fill.run();
        Label advice = wrapped("");
        advice.setId("advice");
        advice.textProperty().bind(vm.advice);
        VBox needs = new VBox(6, device, basis, table, advice);

        // ---- installed
        ListView<ModelStore.Entry> list = new ListView<>(vm.packages);
        list.setId("packages");
        list.setPrefHeight(84);
        list.setCellFactory(lv -> new ListCell<>() {
            @Override
            protected void updateItem(ModelStore.Entry e, boolean empty) {
                super.updateItem(e, empty);
                setText(empty || e == null ? null : e.id() + "  ·  " + e.precisionName() + "  ·  " + Digests.human(e.sizeBytes())
                        + (e.bundled() ? "  ·  bundled" : "") + (e.randomWeights() ? "  ·  random-weight TEST model" : "")
                        + (e.problem() != null ? "  ·  " + e.problem() : ""));
            }
        });
        list.getSelectionModel().selectedItemProperty().addListener((o, a, b) -> vm.selected.set(b));
        Button use = new Button("_Use in the studio");
        use.setId("usePackage");
        Button verify = new Button("_Verify");
        Button remove = new Button("Remo_ve");
        remove.setId("removePackage");
        use.setOnAction(e -> vm.use(vm.selected.get()));
        verify.setOnAction(e -> vm.verify(vm.selected.get()));
        remove.setOnAction(e -> {
            ModelStore.Entry x = vm.selected.get();
            javafx.scene.control.Alert a = new javafx.scene.control.Alert(javafx.scene.control.Alert.AlertType.CONFIRMATION,
                    "Delete " + x.dir() + " (" + Digests.human(x.sizeBytes()) + ")? Converting it again takes a while.", ButtonType.OK, ButtonType.CANCEL);
            a.initOwner(getDialogPane().getScene().getWindow());
            a.setHeaderText("Remove model package '" + x.id() + "'?");
            a.showAndWait().filter(b -> b == ButtonType.OK).ifPresent(b -> vm.remove(x));
        });
        for (Button b : new Button[] {use, verify}) b.disableProperty().bind(vm.selected.isNull().or(vm.busy));
        remove.disableProperty().bind(vm.selected.isNull().or(vm.busy)
                .or(Bindings.createBooleanBinding(() -> vm.selected.get() != null && vm.selected.get().bundled(), vm.selected)));
        Label root = new Label("Models folder: " + vm.modelsRoot());
        root.getStyleClass().add("hint");
        Label source = wrapped("");
        source.setId("packageSource");
        source.textProperty().bind(vm.selectedSource());
        VBox installed = new VBox(6, list, source, new HBox(6, use, verify, remove), root);

        // ---- import a downloaded folder
        TextField ckpt = pathField(vm.checkpointDir, "importCheckpoint");
        TextField codec = pathField(vm.codecDir, "importCodec");
        TextField tok = pathField(vm.tokenizer, "importTokenizer");
        Button ckptB = new Button("Browse…");
        ckptB.setId("browseCheckpoint");
        ckptB.setOnAction(e -> dialogs.folder("The downloaded generation model (" + ModelsViewModel.RELEASE_REPO + ")").ifPresent(vm::chooseCheckpoint));
        Button codecB = new Button("Browse…");
        codecB.setId("browseCodec");
        codecB.setOnAction(e -> dialogs.folder("The downloaded audio tokenizer (" + ModelsViewModel.RELEASE_CODEC_REPO + ")").ifPresent(p -> {
            vm.codecDir.set(p);
            vm.planImport();
        }));
        Button tokB = new Button("Browse…");
        tokB.setId("browseTokenizer");
        tokB.setOnAction(e -> dialogs.file("The text tokenizer (tokenizer.json)").ifPresent(p -> {
            vm.tokenizer.set(p);
            vm.planImport();
        }));
        ChoiceBox<Precision> precision = new ChoiceBox<>();
        precision.setId("importPrecision");
        precision.getItems().setAll(Precision.values());
        precision.valueProperty().bindBidirectional(vm.precision);
        Label blockers = wrapped("");
        blockers.setId("importBlockers");
        blockers.getStyleClass().add("hint");
        blockers.textProperty().bind(Bindings.createStringBinding(() -> String.join("\n", vm.blockers), vm.blockers));
        Button importB = new Button("_Convert and install");
        importB.setId("importButton");
        importB.setOnAction(e -> vm.importCheckpoint());
        importB.disableProperty().bind(vm.busy.or(vm.checkpointDir.isNull()));
        GridPane imp = new GridPane(8, 6);
        imp.addRow(0, new Label("Generation model"), ckpt, ckptB);
        imp.addRow(1, new Label("Audio tokenizer"), codec, codecB);
        imp.addRow(2, new Label("Text tokenizer"), tok, tokB);
        imp.addRow(3, new Label("Precision"), precision);
        imp.add(blockers, 0, 4, 3, 1);
        imp.add(importB, 0, 5, 3, 1);

        // ---- download
        TextField repo = new TextField();
        repo.setId("downloadRepo");
        repo.textProperty().bindBidirectional(vm.repo);
        TextField codecRepo = new TextField();
        codecRepo.textProperty().bindBidirectional(vm.codecRepo);
        for (TextField f : new TextField[] {repo, codecRepo}) GridPane.setHgrow(f, Priority.ALWAYS);
        Button dl = new Button("_Download");
        dl.setId("downloadButton");
        dl.setOnAction(e -> vm.download());
        dl.disableProperty().bind(vm.busy);
        GridPane down = new GridPane(8, 6);
        down.addRow(0, new Label("Generation model"), repo);
        down.addRow(1, new Label("Audio tokenizer"), codecRepo);
        Label dlNote = wrapped("Files go to the downloads folder and are checked against the hub's checksums; a cancelled or broken "
                + "download resumes where it stopped. Then choose a precision and convert.");
        dlNote.getStyleClass().add("hint");
        down.add(dlNote, 0, 2, 2, 1);
        down.add(dl, 0, 3, 2, 1);

        // ---- progress of whatever runs
        ProgressBar bar = new ProgressBar();
        bar.setId("modelsProgress");
        bar.setMaxWidth(Double.MAX_VALUE);
        bar.progressProperty().bind(vm.progress);
        HBox.setHgrow(bar, Priority.ALWAYS);
        Button cancel = new Button("Cancel");
        cancel.setId("modelsCancel");
        cancel.setOnAction(e -> vm.cancel());
        cancel.disableProperty().bind(vm.busy.not());
        Label progressText = new Label();
        progressText.textProperty().bind(vm.progressText);
        Label status = wrapped("");
        status.setId("modelsStatus");
        status.textProperty().bind(vm.status);
        vm.statusIsError.addListener((o, a, err) -> {
            if (err) status.getStyleClass().add("error");
            else status.getStyleClass().remove("error");
        });
        VBox running = new VBox(4, new HBox(8, bar, cancel), progressText, status);

        // field labels and buttons keep their text; the path fields take what is left
        for (GridPane g : new GridPane[] {imp, down}) {
            for (Node n : g.getChildren()) {
                if (n instanceof Button || (n instanceof Label l && !l.isWrapText())) ((Region) n).setMinWidth(Region.USE_PREF_SIZE);
            }
        }
        TitledPane needsP = new TitledPane("What the real model needs on this machine", needs);
        TitledPane instP = new TitledPane("Installed", installed);
        TitledPane impP = new TitledPane("Import a downloaded Hugging Face folder", imp);
        TitledPane dlP = new TitledPane("Download from Hugging Face", down);
        for (TitledPane t : new TitledPane[] {needsP, instP, impP, dlP}) t.setCollapsible(false);
        // two columns: what it needs and what is installed | how to get it and what runs now
        VBox left = new VBox(10, needsP, instP);
        VBox right = new VBox(10, impP, dlP, running);
        left.setPrefWidth(590);
        right.setPrefWidth(590);
        HBox columns = new HBox(12, left, right);
        VBox content = new VBox(10, intro, columns);
        content.setPadding(new Insets(4));
        ScrollPane scroll = new ScrollPane(content);
        scroll.setId("modelsScroll");
        scroll.setFitToWidth(true);
        scroll.setFitToHeight(true);
        scroll.setPrefViewportWidth(1200);
        scroll.setPrefViewportHeight(630);
        getDialogPane().setMinWidth(Region.USE_PREF_SIZE);
        getDialogPane().setPrefWidth(1230);
        getDialogPane().setContent(scroll);
        getDialogPane().getButtonTypes().add(ButtonType.CLOSE);
        // closing while an import runs cancels it: nothing half-converted is installed
        setOnHidden(e -> {
            if (vm.busy.get()) vm.cancel();
        });
        vm.refresh();
    }

    private static Label head(String s) {
        Label l = new Label(s);
        l.setStyle("-fx-font-weight: bold");
        return l;
    }

    private static Label wrapped(String s) {
        Label l = new Label(s);
        l.setWrapText(true);
        l.setMinHeight(Region.USE_PREF_SIZE);
        l.setMaxWidth(1180);
        return l;
    }

    private static TextField pathField(javafx.beans.property.ObjectProperty<Path> p, String id) {
        TextField f = new TextField();
        f.setId(id);
        f.setEditable(false);
        f.setPrefColumnCount(24);
        f.textProperty().bind(Bindings.createStringBinding(() -> p.get() == null ? "" : p.get().toAbsolutePath().normalize().toString(), p));
        GridPane.setHgrow(f, Priority.ALWAYS);
        return f;
    }
}
