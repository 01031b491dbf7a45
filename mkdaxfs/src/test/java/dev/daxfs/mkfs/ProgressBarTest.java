package dev.daxfs.mkfs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.daxfs.format.ImageLayout;
import dev.daxfs.format.ImageSpec;
import dev.daxfs.format.ImageWriter;
import dev.daxfs.format.Node;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The bar's line: never past 100 %, no ETA before there is a rate to tell one; the writer's byte counts. */
class ProgressBarTest {
  @TempDir Path tmp;

  private final ProgressBar bar = new ProgressBar(new PrintStream(new ByteArrayOutputStream()), "writing", 10,
      1000);

  @Test void noEtaInTheFirstSecondOrBeforeOnePercent() {
    assertTrue(bar.line(200_000_000L, 1, 100).endsWith("ETA --:--\033[K"), bar.line(200_000_000L, 1, 100));
    assertTrue(bar.line(5_000_000_000L, 0, 5).endsWith("ETA --:--\033[K"));
    // 500 of 1000 bytes in 2 s: 250 B/s, 2 s left.
    assertTrue(bar.line(2_000_000_000L, 5, 500).endsWith("ETA 0:02\033[K"), bar.line(2_000_000_000L, 5, 500));
  }

  @Test void neverPastOneHundredPercent() {
    String line = bar.line(3_000_000_000L, 12, 1500);
    assertTrue(line.contains("] 100% 10/10 files"), line);
  }

  /** With --dedupe the writer reports the bytes it wrote: their sum is dataBytes(), what the bar's 100 % is. */
  @Test void theWriterReportsEachExtentsBytesOnce() throws Exception {
    Path src = Files.createDirectories(tmp.resolve("src"));
    byte[] data = new byte[10_000];
    Files.write(src.resolve("a"), data);
    Files.write(src.resolve("b"), data);
    Files.write(src.resolve("c"), new byte[3]);
    Node.Directory root = new DirectoryTree(Ownership.KEEP, new SpecialFiles(SpecialFiles.Policy.SKIP), 2,
        new ScanLine(null)).scan(src);
    Dedupe.Result deduped = Dedupe.apply(root, 2, true);
    assertEquals(1, deduped.files());
    ImageLayout layout = ImageLayout.plan(deduped.root(), ImageSpec.staticImage());
    AtomicLong written = new AtomicLong();
    AtomicLong files = new AtomicLong();
    ImageWriter.write(layout, tmp.resolve("img"), n -> {
      written.addAndGet(n);
      files.incrementAndGet();
    });
    assertEquals(layout.dataBytes(), written.get());
    assertEquals(10_003, written.get());
    assertEquals(layout.files(), files.get());
  }
}
