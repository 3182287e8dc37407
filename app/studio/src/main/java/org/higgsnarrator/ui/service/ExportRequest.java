package org.higgsnarrator.ui.service;

import org.higgsnarrator.audio.AudioClip;
import java.nio.file.Path;
import java.util.List;

/**
 * Audio to write to one file.
 *
 * @param chapters in order; each one's audio is the concatenation of its segments' chosen takes
 * @param title    album / book title tag
 * @param format   one of {@link NarrationService#exportFormats()}
 * @param target   output file
 */
public record ExportRequest(List<ChapterAudio> chapters, String title, ExportFormat format, Path target) {
    public ExportRequest {
        chapters = List.copyOf(chapters);
    }

    /** @param title chapter marker title; audio 24 kHz mono */
    public record ChapterAudio(String title, AudioClip audio) {}
}
