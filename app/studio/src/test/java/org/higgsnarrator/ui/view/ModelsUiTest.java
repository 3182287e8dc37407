package org.higgsnarrator.ui.view;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import javafx.scene.Node;
import javafx.scene.control.Label;
import javafx.scene.control.ProgressBar;
import javafx.scene.layout.GridPane;
import javafx.stage.Stage;
import org.higgsnarrator.models.ModelsOptions;
import org.higgsnarrator.ui.AppSettings;
import org.higgsnarrator.ui.StudioApp;
import org.higgsnarrator.ui.concurrent.FxBackgroundExecutor;
import org.higgsnarrator.ui.service.NarrationServices;
import org.higgsnarrator.ui.vm.ModelsViewModel;
import org.higgsnarrator.ui.vm.StudioViewModel;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.testfx.api.FxRobot;
import org.testfx.framework.junit5.ApplicationExtension;
import org.testfx.framework.junit5.Start;
import org.testfx.util.WaitForAsyncUtils;

/**
 * First run: the bundled random-weight model is loaded, the banner offers "Get the real model…", the Models dialog
 * shows what the release needs per precision with the advice and the device, and a downloaded checkpoint (the
 * conformance kit's tiny one, chosen through the same Browse buttons) is converted with progress and becomes the
 * studio's model. Writes screenshots/studio-models.png.
 */
@ExtendWith(ApplicationExtension.class)
class ModelsUiTest {
    @TempDir
    Path dir;
    final FxTestSupport.PresetDialogs dialogs = new FxTestSupport.PresetDialogs();
    StudioViewModel vm;
    StudioWindow window;

    static final Path KIT = Path.of(System.getProperty("narrator.kit.root", "../../../shared/conformance"));

    @Start
    void start(Stage stage) {
        vm = new StudioViewModel(NarrationServices.create(), new FxBackgroundExecutor(), dir.resolve("settings.json"), System::nanoTime);
        window = FxTestSupport.studio(stage, vm, dialogs);
        window.setModelsOptions(ModelsViewModel.defaultOptions().withModelsRoot(dir.resolve("models")).withBenchFile(dir.resolve("bench.json")));
        StudioApp.loadDefaultModel(vm);
        stage.show();
    }

    private void waitFor(String what, java.util.concurrent.Callable<Boolean> cond) throws Exception {
        try {
            WaitForAsyncUtils.waitFor(60, TimeUnit.SECONDS, cond);
        } catch (java.util.concurrent.TimeoutException e) {
            throw new AssertionError("timed out waiting for " + what + "; status: " + vm.status.message(), e);
        }
    }

    /** Scrolls the dialog so the node is in view, as a user would before clicking it. */
    private static void scrollTo(FxRobot robot, String query) {
        javafx.scene.control.ScrollPane sp = robot.lookup("#modelsScroll").queryAs(javafx.scene.control.ScrollPane.class);
        Node n = robot.lookup(query).query();
        robot.interact(() -> {
            double y = sp.getContent().sceneToLocal(n.localToScene(0, 0)).getY();
            double range = sp.getContent().getBoundsInLocal().getHeight() - sp.getViewportBounds().getHeight();
            sp.setVvalue(range <= 0 ? 0 : Math.min(1, Math.max(0, (y - 40) / range)));
        });
        WaitForAsyncUtils.waitForFxEvents();
    }

    @Test
    void bannerOpensModelsDialogThatImportsACheckpoint(FxRobot robot) throws Exception {
        assertTrue(Files.exists(AppSettings.bundledModel().resolve("manifest.json")), "bundled model not built");
        assertTrue(Files.exists(KIT.resolve("tiny/model/config.json")), "conformance kit not found at " + KIT);
        waitFor("bundled model loaded", () -> vm.session.backend() != null && vm.session.backend().randomWeights());
        WaitForAsyncUtils.waitForFxEvents();

        robot.clickOn("#getRealModel");
        WaitForAsyncUtils.waitForFxEvents();
        Node root = robot.window("Models").getScene().getRoot();
        Label intro = robot.lookup("#modelsIntro").queryAs(Label.class);
        assertTrue(intro.getText().contains("random weights") && intro.getText().contains("does not speak"), intro.getText());
        Label device = robot.lookup("#modelsDevice").queryAs(Label.class);
        assertTrue(device.getText().contains(vm.session.backend().deviceName()), device.getText());
        GridPane table = robot.lookup("#estimates").queryAs(GridPane.class);
        assertEquals(5 * (1 + org.higgsnarrator.pkg.Precision.values().length), table.getChildren().size(), "a header and one row per precision, 5 columns");
        assertTrue(robot.lookup("#advice").queryAs(Label.class).getText().startsWith("Advised: "));
        FxTestSupport.screenshot(robot, root, "studio-models");

        // the kit's checkpoint as a hub download leaves it: the files plus the source record (repo, revision, the
        // commit the revision resolved to) that HubClient.download writes beside them
        Path downloaded = dir.resolve("downloads/model"); // the package id follows the folder name: model-<precision>
        Files.createDirectories(downloaded);
        try (var files = Files.list(KIT.resolve("tiny/model"))) {
            for (Path f : files.filter(Files::isRegularFile).toList()) Files.copy(f, downloaded.resolve(f.getFileName()));
        }
        String commit = "0123456789abcdef0123456789abcdef01234567";
        Files.writeString(downloaded.resolve(org.higgsnarrator.models.HubClient.SOURCE_FILE),
                "{\"repo\":\"bosonai/higgs-audio-v2-generation-3B-base\",\"revision\":\"main\",\"commit\":\"" + commit + "\"}");
        dialogs.folders.add(downloaded);
        dialogs.folders.add(KIT.resolve("tiny/codec-hf"));
        dialogs.files.add(KIT.resolve("text-tokenizer/tokenizer.json"));
        for (String b : new String[] {"#browseCheckpoint", "#browseCodec", "#browseTokenizer"}) {
            scrollTo(robot, b);
            robot.clickOn(b);
        }
        WaitForAsyncUtils.waitForFxEvents();
        assertEquals("", robot.lookup("#importBlockers").queryAs(Label.class).getText());
        scrollTo(robot, "#importButton");
        robot.clickOn("#importButton");
        Path installed = dir.resolve("models").resolve("model-" + robot.lookup("#importPrecision")
                .queryAs(javafx.scene.control.ChoiceBox.class).getValue());
        waitFor("the converted package loaded as the studio's model",
                () -> vm.session.backend() != null && installed.equals(vm.session.backend().packageDir()));
        WaitForAsyncUtils.waitForFxEvents();
        assertEquals(1.0, robot.lookup("#modelsProgress").queryAs(ProgressBar.class).getProgress());
        assertTrue(robot.lookup("#modelsStatus").queryAs(Label.class).getText().contains("Installed"),
                robot.lookup("#modelsStatus").queryAs(Label.class).getText());
        assertEquals(installed.toString(), vm.session.appSettings().modelPackage(), "the choice is remembered like a Settings choice");
        // the installed package shows where it came from: the repository and commit its manifest records
        @SuppressWarnings("unchecked")
        javafx.scene.control.ListView<org.higgsnarrator.models.ModelStore.Entry> list = robot.lookup("#packages").queryAs(javafx.scene.control.ListView.class);
        var entry = list.getItems().stream().filter(e -> e.dir().equals(installed)).findFirst().orElseThrow();
        robot.interact(() -> list.getSelectionModel().select(entry));
        WaitForAsyncUtils.waitForFxEvents();
        String source = robot.lookup("#packageSource").queryAs(Label.class).getText();
        assertTrue(source.startsWith("Source: bosonai/higgs-audio-v2-generation-3B-base@" + commit + " (official layout)"), source);
        FxTestSupport.screenshot(robot, root, "studio-models-imported");
        robot.clickOn("Close");
    }
}
