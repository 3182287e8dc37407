package org.higgsnarrator.engine;

import org.higgsnarrator.decode.PromptTokens;

/**
 * Renders a conversation to the model's input: text normalization, chat template, tokenization, audio placeholder
 * expansion ({@code <|AUDIO_OUT|>} × (frames + 2) + delay tokens per clip) and the clips' framed, delayed codes.
 * Implemented by the text package's prompt builder.
 */
@FunctionalInterface
public interface PromptRenderer {
    PromptTokens render(Conversation conversation);
}
