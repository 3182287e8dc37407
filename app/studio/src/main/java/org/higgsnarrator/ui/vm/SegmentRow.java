package org.higgsnarrator.ui.vm;

import org.higgsnarrator.project.Project.RenderedSegment;
import org.higgsnarrator.project.Project.Take;
import org.higgsnarrator.ui.script.Segment;
import org.higgsnarrator.ui.service.RenderRequest;

/**
 * A segment as the editor shows it.
 *
 * @param speaker  resolved speaker (null when the script names one that does not exist)
 * @param request  what a render of it would ask for (null when it cannot be rendered: see {@link #problem})
 * @param hash     content hash of that request (null with request)
 * @param rendered its takes, null when never rendered with this exact content
 * @param problem  why it cannot be rendered, for the user (null when it can)
 */
public record SegmentRow(Segment segment, SpeakerViewModel speaker, RenderRequest request, String hash,
                         RenderedSegment rendered, String problem) {

    public Take chosenTake() {
        return rendered == null ? null : rendered.chosen();
    }

    public String status() {
        String s = takeStatus();
        return rendered != null && problem == null && !rendered.takes().isEmpty() && rendered.chosen().flagged() ? "⚑ check take · " + s : s;
    }

    /** The status without the take-check flag, for views that show the flag on its own. */
    public String takeStatus() {
        if (problem != null) return "⚠ " + problem;
        if (rendered == null || rendered.takes().isEmpty()) return "not rendered";
        int n = rendered.takes().size();
        int k = rendered.takes().indexOf(rendered.chosen()) + 1;
        return String.format("rendered · take %d of %d · %.1f s", k, n, rendered.chosen().seconds());
    }
}
