package org.higgsnarrator.export;

import org.higgsnarrator.pkg.Precision;
import java.nio.file.Path;
import java.util.List;

/** Child process of {@link LargeExportBench}: one export with a coarse progress log. */
public final class LargeExportChild {
    public static void main(String[] a) {
        int[] last = {-1};
        Exporter.export(Path.of(a[0]), Path.of(a[1]), Path.of(a[2]), ExportOptions.defaults().withPrecision(Precision.parse(a[3])), List.of(),
                (m, done, total) -> {
                    int pct = total == 0 ? -1 : (int) (100 * done / total);
                    if (pct / 10 != last[0] / 10) {
                        last[0] = pct;
                        System.out.println("  [" + pct + "%] " + m);
                    }
                });
    }
}
