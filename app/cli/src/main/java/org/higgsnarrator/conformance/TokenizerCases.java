package org.higgsnarrator.conformance;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import com.google.gson.JsonPrimitive;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.higgsnarrator.text.TextTokenizer;

/** Golden cases of the tokenizer family: {@code text_tokenizer[i]} — the ids of each text (no BOS), and their decoding. */
public final class TokenizerCases implements CaseGroup {
    @Override
    public List<CaseResult> run(Kit kit, ConformanceOptions options) {
        List<CaseResult> out = new ArrayList<>();
        JsonArray cases = kit.cases().has("text_tokenizer") ? kit.cases().getAsJsonArray("text_tokenizer") : new JsonArray();
        if (cases.isEmpty()) return out;
        if (kit.tokenizer() == null) {
            for (int i = 0; i < cases.size(); i++) out.add(CaseResult.fail(name(i), "no tokenizer.json: pass --tokenizer FILE"));
            return out;
        }
        TextTokenizer tok;
        try {
            tok = TextTokenizer.open(kit.tokenizer());
        } catch (RuntimeException e) {
            for (int i = 0; i < cases.size(); i++) out.add(CaseResult.fail(name(i), e.getMessage()));
            return out;
        }
        try (tok) {
            for (int i = 0; i < cases.size(); i++) {
                try {
                    out.add(check(tok, i, cases.get(i).getAsJsonObject()));
                } catch (RuntimeException e) {
                    out.add(CaseResult.fail(name(i), e.toString()));
                }
            }
        }
        return out;
    }

    private static String name(int i) {
        return "text_tokenizer[" + i + "]";
    }

    private static CaseResult check(TextTokenizer tok, int i, JsonObject c) {
        String text = c.get("text").getAsString();
        long[] want = longs(c.getAsJsonArray("ids"));
        long[] got = tok.encode(text);
        if (!Arrays.equals(want, got)) {
            int at = Arrays.mismatch(want, got);
            return CaseResult.fail(name(i), "ids differ at " + at + ": golden " + Arrays.toString(want) + ", got " + Arrays.toString(got));
        }
        String back = tok.decode(got);
        if (!back.equals(text)) return CaseResult.fail(name(i), want.length + " ids match but decode gives " + quote(back) + " for " + quote(text));
        return CaseResult.pass(name(i), want.length + " ids, decode round-trips");
    }

    static long[] longs(JsonArray a) {
        long[] out = new long[a.size()];
        for (int i = 0; i < out.length; i++) out[i] = a.get(i).getAsLong();
        return out;
    }

    /** A string as a JSON literal, so that whitespace and control characters show in a case's detail. */
    static String quote(String s) {
        return new JsonPrimitive(s).toString();
    }
}
