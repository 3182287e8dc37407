package org.higgsnarrator.models;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;

class UserDirsTest {
    final Path home = Path.of("/home/ann");

    @Test
    void linuxFollowsXdgAndIgnoresRelativeValues() {
        assertEquals(new UserDirs(Path.of("/home/ann/.local/share/higgs-narrator"), Path.of("/home/ann/.cache/higgs-narrator")),
                UserDirs.forOs("Linux", home, Map.of()));
        assertEquals(new UserDirs(Path.of("/data/higgs-narrator"), Path.of("/home/ann/.cache/higgs-narrator")),
                UserDirs.forOs("Linux", home, Map.of("XDG_DATA_HOME", "/data", "XDG_CACHE_HOME", "rel")));
    }

    @Test
    void macOsAndWindowsUseTheirConventions() {
        assertEquals(Path.of("/home/ann/Library/Application Support/Higgs Narrator"), UserDirs.forOs("Mac OS X", home, Map.of()).data());
        assertEquals(Path.of("/home/ann/Library/Caches/Higgs Narrator"), UserDirs.forOs("Mac OS X", home, Map.of()).cache());
        assertEquals(Path.of("/l/Higgs Narrator"), UserDirs.forOs("Windows 11", home, Map.of("LOCALAPPDATA", "/l")).data());
    }
}
