package org.higgsnarrator.ui.service;

/** Audio file formats for export; which ones a service supports is in {@link NarrationService#exportFormats()}. */
public enum ExportFormat {
    WAV("WAV (24 kHz, 16-bit)", ".wav"),
    FLAC("FLAC", ".flac"),
    MP3("MP3", ".mp3"),
    M4B("M4B audiobook (AAC, chapters)", ".m4b");

    public final String label;
    public final String extension;

    ExportFormat(String label, String extension) {
        this.label = label;
        this.extension = extension;
    }
}
