package org.higgsnarrator.engine;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;
import org.higgsnarrator.decode.PromptTokens;
import org.higgsnarrator.text.ChatMessage;
import org.higgsnarrator.text.Clip;
import org.higgsnarrator.text.Prompt;
import org.higgsnarrator.text.PromptBuilder;
import org.higgsnarrator.text.TextNormalizer;

/**
 * The engine's {@link PromptRenderer} over the text package's {@link PromptBuilder}: a {@link Conversation} (as
 * {@link ConversationPlanner}, the one prompt planner, builds it) → normalized text, release chat template, tokens,
 * expanded clips. It lives in the engine so that {@code engine} uses {@code text} and never the other way round.
 *
 * <p>Scene lines become the scene block as the official example writes it (examples/generation.py L412-424, L474-482,
 * L485-490): the description lines first, then a blank line, then the {@code SPEAKERn: …} lines one per line — a
 * scene clip as {@code SPEAKERn: } followed by the clip as audio input ({@code <|audio_bos|><|AUDIO|><|audio_eos|>},
 * the builder's {@link org.higgsnarrator.config.ReferencePipeline#OFFICIAL} scene layout), in speaker order with the
 * profile lines. A conversation without a system text renders without a system message. With {@code normalize}, user texts go through {@link TextNormalizer}; the engine renders without
 * it: its chunk texts are normalized when the script is chunked, and reference transcripts are used raw, as Boson's
 * example does ({@code examples/generation.py} L441-442: {@code f.read().strip()} only).
 */
public final class ConversationRenderer implements PromptRenderer {
    private static final Pattern SPEAKER_LINE = Pattern.compile("^SPEAKER(\\d+):.*", Pattern.DOTALL);

    private final PromptBuilder builder;
    private final boolean normalize;

    /** @param normalize whether user texts go through {@link TextNormalizer} (the official example normalizes the text to speak, not the reference transcripts) */
    public ConversationRenderer(PromptBuilder builder, boolean normalize) {
        // the scene block is composed here exactly (separators included) and its clips are audio input: Boson's layout
        this.builder = builder.following(org.higgsnarrator.config.ReferencePipeline.OFFICIAL);
        this.normalize = normalize;
    }

    @Override
    public PromptTokens render(Conversation conversation) {
        Prompt p = builder.build(messages(conversation));
        return new PromptTokens(p.ids(), p.audioFrames());
    }

    /** The conversation as template messages (what {@link #render} builds). */
    public List<ChatMessage> messages(Conversation c) {
        List<ChatMessage> out = new ArrayList<>();
        if (c.system() == null) {
            // Boson's prompt for cloned voices without a scene has no system message (examples/generation.py L426-431).
            if (c.scene().stream().anyMatch(l -> l != null && !l.isBlank())) {
                throw new IllegalArgumentException("a conversation with scene lines needs a system text (the scene block is part of the system message)");
            }
            for (Conversation.Message m : c.messages()) out.add(message(m));
            return out;
        }
        out.add(ChatMessage.system(c.system()));
        List<String> description = new ArrayList<>();
        // speaker entries: profile lines as text, scene clips as audio, in speaker order when there are clips (a
        // stable sort keeps a line before a clip of the same speaker)
        List<Object[]> speakers = new ArrayList<>();
        for (String line : c.scene()) {
            if (line == null || line.isBlank()) continue;
            var m = SPEAKER_LINE.matcher(line.strip());
            if (m.matches()) speakers.add(new Object[] {Integer.parseInt(m.group(1)), line.strip()});
            else description.add(line.strip());
        }
        for (Conversation.SceneClip clip : c.sceneClips()) speakers.add(new Object[] {clip.speaker(), clip});
        if (!c.sceneClips().isEmpty()) speakers.sort(java.util.Comparator.comparingInt(e -> (Integer) e[0]));
        // examples/generation.py L412-424: "{scene}\n\n" + "\n".join(speaker_desc), a clip entry being
        // "SPEAKER{n}: " + the audio placeholder (L411), which becomes an AudioContent part (L160-175)
        List<ChatMessage.Content> scene = new ArrayList<>();
        StringBuilder text = new StringBuilder(String.join("\n", description));
        for (int i = 0; i < speakers.size(); i++) {
            if (i == 0 && !text.isEmpty()) text.append("\n\n");
            if (i > 0) text.append('\n');
            if (speakers.get(i)[1] instanceof Conversation.SceneClip clip) {
                text.append("SPEAKER").append(clip.speaker()).append(": ");
                scene.add(new ChatMessage.Text(text.toString()));
                scene.add(new ChatMessage.Audio(new Clip(clip.codes())));
                text.setLength(0);
            } else {
                text.append((String) speakers.get(i)[1]);
            }
        }
        if (!text.isEmpty()) scene.add(new ChatMessage.Text(text.toString()));
        if (!scene.isEmpty()) out.add(ChatMessage.scene(scene));
        for (Conversation.Message m : c.messages()) out.add(message(m));
        return out;
    }

    private ChatMessage message(Conversation.Message m) {
        return switch (m) {
            case Conversation.UserText u -> ChatMessage.user(normalize ? TextNormalizer.normalize(u.text()) : u.text());
            case Conversation.AssistantAudio a -> ChatMessage.assistant(new Clip(a.codes()));
        };
    }
}
