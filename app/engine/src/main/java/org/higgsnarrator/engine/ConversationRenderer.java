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
 * <p>Scene lines become the scene block as the official example writes it: the description lines first, then a
 * blank line, then the {@code SPEAKERn: …} lines one per line. User texts go through {@link TextNormalizer}
 * (the engine hands over chunk text as written); normalizing is idempotent, so already normalized text is unchanged.
 */
public final class ConversationRenderer implements PromptRenderer {
    private static final Pattern SPEAKER_LINE = Pattern.compile("^SPEAKER\\d+:.*", Pattern.DOTALL);

    private final PromptBuilder builder;
    private final boolean normalize;

    /** @param normalize whether user texts go through {@link TextNormalizer} (the official example does) */
    public ConversationRenderer(PromptBuilder builder, boolean normalize) {
        this.builder = builder;
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
        out.add(ChatMessage.system(c.system()));
        List<String> description = new ArrayList<>(), speakers = new ArrayList<>();
        for (String line : c.scene()) {
            if (line == null || line.isBlank()) continue;
            (SPEAKER_LINE.matcher(line.strip()).matches() ? speakers : description).add(line.strip());
        }
        List<ChatMessage.Content> scene = new ArrayList<>();
        if (!description.isEmpty()) scene.add(new ChatMessage.Text(String.join("\n", description)));
        if (!speakers.isEmpty()) scene.add(new ChatMessage.Text(String.join("\n", speakers)));
        if (!scene.isEmpty()) out.add(ChatMessage.scene(scene));
        for (Conversation.Message m : c.messages()) {
            switch (m) {
                case Conversation.UserText u -> out.add(ChatMessage.user(normalize ? TextNormalizer.normalize(u.text()) : u.text()));
                case Conversation.AssistantAudio a -> out.add(ChatMessage.assistant(new Clip(a.codes())));
            }
        }
        return out;
    }
}
