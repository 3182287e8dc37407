package org.higgsnarrator.models;

import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;

/**
 * Per-user folders of the application, following each OS's convention:
 * <pre>
 *            data (model packages, downloads)                 cache (bench results)
 * Linux      $XDG_DATA_HOME or ~/.local/share/higgs-narrator    $XDG_CACHE_HOME or ~/.cache/higgs-narrator
 * macOS      ~/Library/Application Support/Higgs Narrator     ~/Library/Caches/Higgs Narrator
 * Windows    %LOCALAPPDATA%\Higgs Narrator                      %LOCALAPPDATA%\Higgs Narrator\cache
 * </pre>
 * Model packages are several GB, so on Windows they go to the local (non-roaming) profile.
 */
public record UserDirs(Path data, Path cache) {
    public static final String APP_DIR = "higgs-narrator";
    public static final String APP_DIR_DISPLAY = "Higgs Narrator";

    public static UserDirs detect() {
        return forOs(System.getProperty("os.name", ""), Path.of(System.getProperty("user.home")), System.getenv());
    }

    /** Separated from {@link #detect()} so each OS's rule can be tested on any OS. */
    static UserDirs forOs(String osName, Path home, Map<String, String> env) {
        String os = osName.toLowerCase(Locale.ROOT);
        if (os.startsWith("windows")) {
            Path local = env.containsKey("LOCALAPPDATA") ? Path.of(env.get("LOCALAPPDATA")) : home.resolve("AppData").resolve("Local");
            Path data = local.resolve(APP_DIR_DISPLAY);
            return new UserDirs(data, data.resolve("cache"));
        }
        if (os.startsWith("mac")) {
            Path lib = home.resolve("Library");
            return new UserDirs(lib.resolve("Application Support").resolve(APP_DIR_DISPLAY), lib.resolve("Caches").resolve(APP_DIR_DISPLAY));
        }
        Path dataHome = absoluteOr(env.get("XDG_DATA_HOME"), home.resolve(".local").resolve("share"));
        Path cacheHome = absoluteOr(env.get("XDG_CACHE_HOME"), home.resolve(".cache"));
        return new UserDirs(dataHome.resolve(APP_DIR), cacheHome.resolve(APP_DIR));
    }

    /** The XDG spec says relative values are invalid and must be ignored. */
    private static Path absoluteOr(String value, Path dflt) {
        if (value == null || value.isBlank()) return dflt;
        Path p = Path.of(value);
        return p.isAbsolute() ? p : dflt;
    }
}
