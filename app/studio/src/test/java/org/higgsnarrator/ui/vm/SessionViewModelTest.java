package org.higgsnarrator.ui.vm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.higgsnarrator.runtime.Device;
import org.higgsnarrator.ui.service.ModelChoice;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The session: the loaded model and the app settings, through the basic service (it reads manifests, renders nothing). */
class SessionViewModelTest {
    @TempDir
    Path dir;
    StudioViewModel vm;
    SessionViewModel session;

    @BeforeEach
    void setUp() {
        vm = StudioFixture.studio(dir);
        session = vm.session;
    }

    @Test
    void aChosenPackageIsLoadedAndRemembered() throws Exception {
        Path pkg = Files.createDirectories(dir.resolve("pkg"));
        Files.writeString(pkg.resolve("manifest.json"), "{\"formatVersion\": 1, \"name\": \"tiny-x\", \"randomWeights\": true, \"precision\": \"fp32\"}");
        assertTrue(session.applyModelChoice(pkg.toString(), Device.CPU, 2));
        assertEquals("tiny-x", session.backend().modelName());
        assertEquals(pkg, session.backend().packageDir());
        assertEquals(new ModelChoice(pkg, Device.CPU, 2), session.currentModelChoice());
        assertTrue(vm.status.message().contains("random-weight TEST model"), vm.status.message());
        assertEquals(pkg.toString(), StudioFixture.studio(dir).session.appSettings().modelPackage(), "written to the settings file");

        session.useModelPackage(dir.resolve("nowhere"));
        assertTrue(vm.status.isError() && vm.status.message().contains("manifest.json"), vm.status.message());
        assertFalse(session.backend().canRender());
    }

    @Test
    void fieldsThatMakeNoChoiceAreReported() {
        assertFalse(session.applyModelChoice("bad\0path", Device.AUTO, 0));
        assertTrue(vm.status.isError() && vm.status.message().startsWith("Settings not applied"), vm.status.message());
    }

    @Test
    void recentProjectsAreReadOnly() {
        vm.project.newProject(dir.resolve("r"), "R");
        assertEquals(1, session.recentProjects().size());
        assertThrows(UnsupportedOperationException.class, () -> session.recentProjects().add(dir));
        assertFalse(session.backendProperty() instanceof javafx.beans.value.WritableValue<?>);
    }
}
