package org.higgsnarrator.engine;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The plain-text script format of {@code ./narrator narrate}, split the way the official long-form example does
 * ({@code chunk_method} speaker + word): a line starting with {@code [NAME]} starts a turn of speaker NAME that runs
 * until the next tag or the end of its paragraph; paragraphs (blank-line separated) without a tag are the narrator's.
 * Each turn's paragraph becomes one chunk, or several of at most {@code maxWords} words cut at sentence ends (a
 * single longer sentence is cut between words). Sound-effect tags such as {@code [laugh]} or {@code [music start]} are
 * text, not speakers.
 */
public final class ChapterSplitter implements ScriptSplitter {
    private static final Pattern TAG = Pattern.compile("^\\s*\\[([^\\]\\s][^\\]]*)]\\s*");
    private static final Set<String> SOUND_TAGS = Set.of("laugh", "humming start", "humming end", "music start", "music end",
            "music", "sing start", "sing end", "applause", "cheering", "cough");
    private static final Pattern SENTENCE_END = Pattern.compile("(?<=[.!?…。！？][\"'”’)\\]]?)\\s+");

    @Override
    public List<ScriptChunk> split(String chapter, int maxWords) {
        List<ScriptChunk> out = new ArrayList<>();
        for (String paragraph : chapter.replace("\r\n", "\n").split("\\n\\s*\\n")) {
            String speaker = Voice.NARRATOR;
            StringBuilder turn = new StringBuilder();
            for (String line : paragraph.split("\n")) {
                Matcher m = TAG.matcher(line);
                if (m.find() && !SOUND_TAGS.contains(m.group(1).trim().toLowerCase(Locale.ROOT))) {
                    addTurn(out, speaker, turn.toString(), maxWords);
                    turn.setLength(0);
                    speaker = m.group(1).trim();
                    line = line.substring(m.end());
                }
                turn.append(line.strip()).append(' ');
            }
            addTurn(out, speaker, turn.toString(), maxWords);
        }
        return out;
    }

    private static void addTurn(List<ScriptChunk> out, String speaker, String text, int maxWords) {
        text = text.strip().replaceAll("\\s+", " ");
        if (text.isEmpty()) return;
        StringBuilder chunk = new StringBuilder();
        int words = 0;
        for (String sentence : SENTENCE_END.split(text)) {
            String[] sw = sentence.split(" ");
            if (words > 0 && words + sw.length > maxWords) {
                out.add(new ScriptChunk(speaker, chunk.toString()));
                chunk.setLength(0);
                words = 0;
            }
            for (String w : sw) {
                if (words == maxWords) { // one sentence longer than a chunk
                    out.add(new ScriptChunk(speaker, chunk.toString()));
                    chunk.setLength(0);
                    words = 0;
                }
                if (words > 0) chunk.append(' ');
                chunk.append(w);
                words++;
            }
        }
        if (words > 0) out.add(new ScriptChunk(speaker, chunk.toString()));
    }
}
