import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import javafx.application.Platform;
import javafx.scene.Scene;
import javafx.scene.control.Label;
import javafx.stage.Stage;

/**
 * Opens a JavaFX window with the packaged runtime and jars (run under Xvfb by smoke-test.sh): proves the jlink'ed
 * runtime has every module JavaFX needs and the native GTK glass loads, independently of what the studio does.
 */
public final class FxProbe {
    public static void main(String[] args) throws Exception {
        CountDownLatch shown = new CountDownLatch(1);
        Platform.startup(() -> {
            Stage stage = new Stage();
            stage.setTitle("Higgs Narrator smoke test");
            stage.setScene(new Scene(new Label("Higgs Narrator smoke test"), 320, 120));
            stage.setOnShown(e -> shown.countDown());
            stage.show();
        });
        if (!shown.await(30, TimeUnit.SECONDS)) {
            System.err.println("FxProbe: the window was not shown within 30 s");
            System.exit(1);
        }
        System.out.println("FxProbe: window shown (JavaFX " + System.getProperty("javafx.runtime.version") + ", Java "
                + System.getProperty("java.runtime.version") + ")");
        Platform.exit();
        System.exit(0);
    }
}
