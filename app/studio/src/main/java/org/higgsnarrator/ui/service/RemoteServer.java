package org.higgsnarrator.ui.service;

/**
 * A render server the studio may send segments to (Settings → Render servers): {@code narrator serve} or Boson's
 * {@code bosonai/higgs-audio-vllm} image. Kept in the per-user settings file; {@link #toString()} never shows the key
 * (logs, status lines and the settings' own {@code toString} use it).
 *
 * @param url    the server's base address, normalised ({@code http://gpu-box:8000})
 * @param apiKey sent as {@code Authorization: Bearer}; "" for none
 */
public record RemoteServer(String url, String apiKey) {
    public RemoteServer {
        if (url == null || url.isBlank()) throw new IllegalArgumentException("a render server needs a URL such as http://gpu-box:8000");
        apiKey = apiKey == null ? "" : apiKey.strip();
    }

    public boolean hasKey() {
        return !apiKey.isEmpty();
    }

    /** The address and whether a key is set — never the key. */
    @Override
    public String toString() {
        return url + (hasKey() ? " (API key set)" : "");
    }
}
