package org.higgsnarrator.ui.service;

import java.nio.file.Path;
import java.util.List;

/**
 * What an export wrote.
 *
 * @param file    the written file
 * @param seconds its duration
 * @param notes   loudness compliance and anything else the author should know (e.g. "-18.2 LUFS integrated;
 *                ACX asks for -23…-18 RMS dB: OK"); empty when the service has no loudness meter
 */
public record ExportReport(Path file, double seconds, List<String> notes) {
    public ExportReport {
        notes = List.copyOf(notes);
    }
}
