package org.higgsnarrator.ui.view;

import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.higgsnarrator.ui.service.ExportFormat;

/**
 * The studio's file dialogs. {@link FxDialogs} shows the platform's choosers; UI tests pass an implementation that
 * answers with files they created, so menu actions run exactly as they do for a user.
 */
public interface Dialogs {
    Optional<Path> newProjectFile();

    Optional<Path> openProjectFile();

    Optional<Path> saveProjectAs();

    /** Audio files to clone voices from. */
    List<Path> audioFiles();

    Optional<Path> exportFile(ExportFormat format, String suggestedName);

    Optional<Path> modelPackageDir();

    /** A folder (e.g. a downloaded Hugging Face repository); empty when cancelled. */
    default Optional<Path> folder(String title) {
        return Optional.empty();
    }

    /** One file; empty when cancelled. */
    default Optional<Path> file(String title) {
        return Optional.empty();
    }
}
