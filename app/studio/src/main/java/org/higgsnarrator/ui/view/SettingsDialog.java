package org.higgsnarrator.ui.view;

import javafx.geometry.Insets;
import javafx.scene.control.Button;
import javafx.scene.control.ButtonType;
import javafx.scene.control.ChoiceBox;
import javafx.scene.control.Dialog;
import javafx.scene.control.Label;
import javafx.scene.control.Spinner;
import javafx.scene.control.Tab;
import javafx.scene.control.TabPane;
import javafx.scene.control.TextField;
import javafx.scene.layout.GridPane;
import javafx.scene.layout.HBox;
import javafx.scene.layout.Priority;
import javafx.stage.Window;
import org.higgsnarrator.project.Project.GenerationSettings;
import org.higgsnarrator.runtime.Device;
import org.higgsnarrator.ui.AppSettings;
import org.higgsnarrator.ui.service.BackendInfo;
import org.higgsnarrator.ui.service.ModelChoice;
import org.higgsnarrator.ui.vm.ProjectViewModel;
import org.higgsnarrator.ui.vm.SessionViewModel;

/**
 * Settings: the model package (bundled tiny test package by default, stated plainly), device with the reason for
 * the one in use, threads, the package's precision (read-only: conversion chooses it); and the project's generation
 * settings.
 */
public final class SettingsDialog extends Dialog<ButtonType> {
    public SettingsDialog(Window owner, SessionViewModel vm, ProjectViewModel project, Dialogs dialogs, Runnable showModels) {
        initOwner(owner);
        setTitle("Settings");
        setResizable(true);
        getDialogPane().getStyleClass().add("settings");
        AppSettings s = vm.appSettings();
        BackendInfo b = vm.backend();

        TextField pkg = new TextField(s.modelPath().toString());
        pkg.setId("modelPackage");
        HBox.setHgrow(pkg, Priority.ALWAYS);
        Button browse = new Button("Browse…");
        browse.setOnAction(e -> dialogs.modelPackageDir().ifPresent(p -> pkg.setText(p.toString())));
        Button bundled = new Button("Bundled");
        bundled.setOnAction(e -> pkg.setText(AppSettings.bundledModel().toString()));
        ChoiceBox<Device> device = new ChoiceBox<>();
        device.getItems().setAll(Device.values());
        device.setValue(s.device());
        // a package holds one precision, chosen when it is converted: shown here, changed by choosing another package
        Label precision = new Label(b == null || b.precision() == null ? "the package's (chosen in Models…)"
                : b.precision() + " — the package's (Models… converts others)");
        precision.setWrapText(true);
        precision.setId("packagePrecision");
        Spinner<Integer> threads = new Spinner<>(0, Runtime.getRuntime().availableProcessors() * 2, s.threads());
        threads.setEditable(true);
        // segments of a book decoded together in one batch on this computer: faster renders for more memory
        Spinner<Integer> atOnce = new Spinner<>(0, ModelChoice.MAX_SEGMENTS_AT_ONCE, vm.currentModelChoice().segmentsAtOnce());
        atOnce.setEditable(true);
        atOnce.setId("segmentsAtOnce");
        Label loaded = new Label(describe(b));
        loaded.setWrapText(true);
        loaded.setMaxWidth(520);
        // the engine's device reason makes this several lines: let the label take its wrapped height, not one line
        loaded.setMinHeight(javafx.scene.layout.Region.USE_PREF_SIZE);
        loaded.getStyleClass().add(b != null && b.randomWeights() ? "banner-warning" : "hint");
        loaded.setId("loadedModel");

        GridPane m = grid();
        m.addRow(0, new Label("Model package"), new HBox(6, pkg, browse, bundled));
        Button models = new Button("_Models… (installed, import, download)");
        models.setId("settingsModels");
        models.setOnAction(e -> {
            showModels.run();
            // a package chosen there is the settings' model now: OK here must not load the old one back
            pkg.setText(vm.appSettings().modelPath().toString());
        });
        m.add(models, 1, 4);
        m.addRow(1, new Label("Device"), device);
        m.addRow(2, new Label("Precision"), precision);
        m.addRow(3, new Label("Threads (0 = auto)"), threads);
        atOnce.setTooltip(new javafx.scene.control.Tooltip("Segments decoded together in one batch on this computer (book render, render queue):"
                + " 0 = as memory allows (up to 4), 1 = one at a time"));
        m.addRow(5, new Label("Segments at once"), atOnce);

        GenerationSettings g = project.settings();
        // the engine's rule decides what is valid (GenerationOptions): the dialog passes values as they are
        javafx.scene.control.CheckBox greedy = new javafx.scene.control.CheckBox("Greedy (always the most likely sound; no sampling)");
        greedy.setId("greedy");
        greedy.setSelected(g.greedy());
        Spinner<Double> temp = new Spinner<>(0.05, 2.0, g.temperature(), 0.05);
        temp.disableProperty().bind(greedy.selectedProperty());
        Spinner<Integer> topK = new Spinner<>(0, 1024, g.topK());
        Spinner<Double> topP = new Spinner<>(0.05, 1.0, g.topP(), 0.05);
        Spinner<Integer> maxSec = new Spinner<>(1, 600, Math.max(1, g.maxFrames() / 25));
        TextField seed = new TextField(Long.toString(g.seed()));
        for (Spinner<?> sp : new Spinner<?>[] {temp, topK, topP, maxSec}) sp.setEditable(true);
        GridPane gen = grid();
        gen.addRow(0, new Label("Temperature"), temp);
        gen.add(greedy, 1, 1);
        gen.addRow(2, new Label("Top-k (0 = off)"), topK);
        gen.addRow(3, new Label("Top-p (1 = off)"), topP);
        gen.addRow(4, new Label("Longest segment (s)"), maxSec);
        gen.addRow(5, new Label("Seed"), seed);
        // the defaults are the loaded model's, from its package (the release's before a model is loaded)
        var d = b != null && b.sampling() != null ? b.sampling() : org.higgsnarrator.pkg.PackageManifest.SamplingDefaults.release();
        Label note = new Label(String.format(java.util.Locale.ROOT, "%s defaults: temperature %s, top-k %d, top-p %s. Changing these re-renders segments.",
                b != null && b.sampling() != null ? "The model's" : "Release", d.temperature(), d.topK(), d.topP()));
        note.getStyleClass().add("hint");
        note.setId("samplingDefaults");
        Button useDefaults = new Button("Use these defaults");
        useDefaults.setId("useModelDefaults");
        // fills the dialog's own fields (nothing is applied before OK)
        useDefaults.setOnAction(e -> {
            greedy.setSelected(false);
            temp.getValueFactory().setValue(d.temperature());
            topK.getValueFactory().setValue(d.topK());
            topP.getValueFactory().setValue(d.topP());
            maxSec.getValueFactory().setValue(Math.max(1, d.maxFrames() / 25));
        });
        gen.add(note, 0, 6, 2, 1);
        gen.add(useDefaults, 1, 7);

        Tab serversTab = new Tab("Render servers", serversPane(vm));
        serversTab.setId("renderServersTab");
        TabPane tabs = new TabPane(new Tab("Model", m), new Tab("Generation", gen), serversTab);
        tabs.setId("settingsTabs");
        tabs.setTabClosingPolicy(TabPane.TabClosingPolicy.UNAVAILABLE);
        // the loaded model's description (device reason, test-model warning) below the tabs: a VBox gives a wrapping
        // label its full wrapped height, a grid cell inside a tab clipped it
        javafx.scene.layout.VBox content = new javafx.scene.layout.VBox(10, tabs, loaded);
        getDialogPane().setContent(content);
        getDialogPane().setMinHeight(javafx.scene.layout.Region.USE_PREF_SIZE);
        setResizable(true);
        getDialogPane().getButtonTypes().addAll(ButtonType.OK, ButtonType.CANCEL);
        setResultConverter(bt -> {
            if (bt == ButtonType.OK) {
                if (vm.applyModelChoice(pkg.getText(), device.getValue(), threads.getValue(), atOnce.getValue())) {
                    project.applyGenerationSettings(greedy.isSelected(), temp.getValue(), topK.getValue(), topP.getValue(), maxSec.getValue(), seed.getText());
                }
            }
            return bt;
        });
    }

    /**
     * Settings → Render servers: add (URL + API key), test (a real /health + /v1/models request, answer shown), remove.
     * Changes apply at once (the queue uses them from its next job) and are saved in the settings.
     */
    static javafx.scene.layout.VBox serversPane(SessionViewModel vm) {
        javafx.scene.control.ListView<org.higgsnarrator.ui.service.RemoteServer> list = new javafx.scene.control.ListView<>(vm.renderServers());
        list.setId("renderServers");
        list.setPrefHeight(120);
        list.setPlaceholder(new Label("No render servers: everything renders on this computer."));
        TextField url = new TextField();
        url.setId("serverUrl");
        url.setPromptText("http://gpu-box:8000");
        url.setPrefColumnCount(32);
        javafx.scene.control.PasswordField key = new javafx.scene.control.PasswordField();
        key.setId("serverKey");
        key.setPromptText("API key (if the server has one)");
        key.setPrefColumnCount(32);
        Button add = new Button("_Add");
        add.setId("addServer");
        add.disableProperty().bind(url.textProperty().isEmpty());
        add.setOnAction(e -> {
            if (vm.addServer(url.getText(), key.getText())) {
                list.getSelectionModel().selectLast();
                url.clear();
                key.clear();
            }
        });
        Button test = new Button("_Test");
        test.setId("testServer");
        Button remove = new Button("_Remove");
        remove.setId("removeServer");
        test.disableProperty().bind(list.getSelectionModel().selectedItemProperty().isNull());
        remove.disableProperty().bind(list.getSelectionModel().selectedItemProperty().isNull());
        test.setOnAction(e -> vm.checkServer(list.getSelectionModel().getSelectedItem()));
        remove.setOnAction(e -> vm.removeServer(list.getSelectionModel().getSelectedItem()));
        Label result = new Label();
        result.setId("serverCheck");
        result.setWrapText(true);
        result.setMaxWidth(520);
        result.setMinHeight(javafx.scene.layout.Region.USE_PREF_SIZE);
        result.textProperty().bind(vm.serverCheckProperty());
        vm.serverCheckOkProperty().addListener((o, a, ok) -> result.getStyleClass().setAll("label", ok ? "hint" : "banner-warning"));
        Label about = new Label("Segments render on these servers beside this computer — narrator serve on another machine, or Boson's "
                + "higgs-audio-vllm image. Each takes the next waiting segment when it is free; a server that fails has its segment "
                + "rendered elsewhere. The server should serve the model loaded here (takes are hashed with it).");
        about.setWrapText(true);
        about.setMaxWidth(520);
        about.setMinHeight(javafx.scene.layout.Region.USE_PREF_SIZE);
        about.getStyleClass().add("hint");
        GridPane form = grid();
        form.setPadding(Insets.EMPTY);
        form.addRow(0, new Label("URL"), url);
        form.addRow(1, new Label("API key"), key);
        javafx.scene.layout.VBox box = new javafx.scene.layout.VBox(8, about, list, new HBox(6, test, remove), form, new HBox(6, add), result);
        box.setPadding(new Insets(12));
        return box;
    }

    private static GridPane grid() {
        GridPane g = new GridPane(10, 8);
        g.setPadding(new Insets(12));
        return g;
    }

    static String describe(BackendInfo b) {
        if (b == null || b.packageDir() == null) return b == null ? "No model loaded." : b.deviceReason();
        String s = "Loaded: " + b.modelName() + " (" + b.precision() + ") on " + b.deviceName() + ". " + b.deviceReason();
        if (b.randomWeights()) s += "\nThis is a random-weight TEST model: it exercises the whole pipeline but does not speak. Choose a converted Higgs Audio v2 package to narrate.";
        if (!b.canRender()) s += "\nRendering unavailable: " + b.cannotRenderReason();
        return s;
    }
}
