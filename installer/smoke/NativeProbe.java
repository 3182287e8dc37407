import ai.djl.huggingface.tokenizers.HuggingFaceTokenizer;
import ai.onnxruntime.OrtEnvironment;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;

/**
 * Loads the native libraries the engine needs from the packaged jars (ONNX Runtime, Hugging Face tokenizers): proves
 * the build kept this platform's natives when it dropped the others.
 */
public final class NativeProbe {
    public static void main(String[] args) throws Exception {
        OrtEnvironment env = OrtEnvironment.getEnvironment();
        System.out.println("NativeProbe: ONNX Runtime " + env.getVersion() + ", providers " + OrtEnvironment.getAvailableProviders());
        Path tok = Files.createTempFile("tokenizer", ".json");
        Files.writeString(tok, """
                {"version": "1.0", "truncation": null, "padding": null, "added_tokens": [], "normalizer": null,
                 "pre_tokenizer": {"type": "Whitespace"}, "post_processor": null, "decoder": null,
                 "model": {"type": "WordLevel", "vocab": {"hello": 0, "world": 1, "[UNK]": 2}, "unk_token": "[UNK]"}}
                """);
        try (HuggingFaceTokenizer t = HuggingFaceTokenizer.newInstance(tok)) {
            long[] ids = t.encode("hello world", false, false).getIds();
            if (!Arrays.equals(ids, new long[] {0, 1})) throw new AssertionError("tokenizer gave " + Arrays.toString(ids));
            System.out.println("NativeProbe: tokenizers OK " + Arrays.toString(ids));
        } finally {
            Files.deleteIfExists(tok);
        }
    }
}
