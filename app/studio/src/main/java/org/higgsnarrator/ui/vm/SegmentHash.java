package org.higgsnarrator.ui.vm;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import org.higgsnarrator.project.Project.GenerationSettings;
import org.higgsnarrator.ui.service.RenderRequest.VoiceRef;

/**
 * Content hash of a segment render: everything that changes the audio — text, voice (clip content + transcript, or
 * description), scene, generation settings, model. A segment whose hash has a take is not rendered again.
 */
public final class SegmentHash {
    private SegmentHash() {}

    public static String of(String text, VoiceRef voice, String scene, GenerationSettings s, String model) {
        String v = switch (voice) {
            case VoiceRef.Cloned c -> "clone:" + c.cacheKey() + ":" + c.transcript();
            case VoiceRef.Described d -> "described:" + d.description();
            case VoiceRef.ModelChoice m -> "model-choice";
        };
        String canonical = String.join("\u0000", "v1", text, v, scene,
                // greedy hashes as temperature 0, as older versions spelled it, so their takes stay current
                Double.toString(s.greedy() ? 0 : s.temperature()),
                Integer.toString(s.topK()), Double.toString(s.topP()), Integer.toString(s.rasWindow()),
                Integer.toString(s.rasMaxRepeats()), Integer.toString(s.maxFrames()), Long.toString(s.seed()), model);
        try {
            byte[] d = MessageDigest.getInstance("SHA-256").digest(canonical.getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(d, 0, 12);
        } catch (NoSuchAlgorithmException e) {
            throw new AssertionError(e);
        }
    }
}
