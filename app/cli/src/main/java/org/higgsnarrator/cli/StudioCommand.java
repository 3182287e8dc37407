package org.higgsnarrator.cli;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import org.higgsnarrator.ui.StudioApp;

/** {@code ./narrator studio}: Start the narration studio (JavaFX). */
public final class StudioCommand implements Command {
    @Override
    public String name() {
        return "studio";
    }

    @Override
    public String summary() {
        return "Start the narration studio (JavaFX).";
    }

    @Override
    public String usage() {
        return """
                Usage: ./narrator studio [--project FILE] [--model DIR]

                Start the narration studio (JavaFX desktop app).

                Options:
                  --project FILE   open this project (.narrator); created if it does not exist
                  --model DIR      model package folder to load (default: the one chosen in Settings,
                                   else the bundled tiny test package onnx-models/tiny, which does not speak)

                Settings and recent projects: ~/.config/higgs-narrator/settings.json
                (override the folder with -Dnarrator.config.dir=DIR in NARRATOR_JAVA_OPTS).
                Needs a display (X11/Wayland) and GTK 3 (Debian: apt-get install libgtk-3-0).""";
    }

    @Override
    public int run(Args args) {
        args.rejectUnknown(Set.of("project", "model"));
        if (!args.positionals().isEmpty()) throw new Args.UsageException("unexpected argument '" + args.positionals().getFirst() + "'");
        Path project = args.path("project");
        Path model = args.path("model");
        if (model != null && !org.higgsnarrator.pkg.PackageManifest.isPackage(model)) {
            System.err.println("narrator studio: " + model + " is not a model package (no manifest.json) — pass a folder made by './narrator export'");
            return 2;
        }
        if (project != null && Files.isDirectory(project)) {
            System.err.println("narrator studio: --project expects a project file (.narrator), got the folder " + project);
            return 2;
        }
        boolean display = System.getenv("DISPLAY") != null || System.getenv("WAYLAND_DISPLAY") != null
                || System.getProperty("glass.platform") != null || System.getProperty("os.name", "").startsWith("Windows")
                || System.getProperty("os.name", "").startsWith("Mac");
        if (!display) {
            System.err.println("narrator studio: no display (DISPLAY/WAYLAND_DISPLAY unset). Run it in a desktop session, or under xvfb-run for a smoke test.");
            return 1;
        }
        try {
            StudioApp.launchStudio(project, model);
        } catch (RuntimeException | UnsatisfiedLinkError e) {
            String msg = e.getMessage() == null ? e.toString() : e.getMessage();
            System.err.println("narrator studio: JavaFX could not start: " + msg
                    + (msg.contains("GTK") ? " — install GTK 3 (Debian: apt-get install libgtk-3-0)" : ""));
            return 1;
        }
        return 0;
    }
}
