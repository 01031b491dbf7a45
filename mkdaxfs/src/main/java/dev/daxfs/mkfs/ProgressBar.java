package dev.daxfs.mkfs;

import dev.daxfs.cli.Sizes;
import dev.daxfs.format.ImageWriter;
import dev.daxfs.nativemem.Interruption;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;

/**
 * One self-redrawing line on a terminal while file data is written: files, bytes, rate, ETA.
 * Redrawn at most five times a second; erased when done.
 */
final class ProgressBar implements ImageWriter.Progress {
  private static final long REDRAW_NANOS = 200_000_000L;

  private final PrintStream out;
  private final int totalFiles;
  private final long totalBytes;
  private final long start = System.nanoTime();
  private long lastDraw = start;
  private int files;
  private long bytes;

  ProgressBar(PrintStream out, int totalFiles, long totalBytes) {
    this.out = out;
    this.totalFiles = totalFiles;
    this.totalBytes = totalBytes;
  }

  /** True when stderr is a terminal (and the JVM has a console), the only place a bar belongs. */
  static boolean stderrIsTerminal() {
    if (System.console() == null || !System.console().isTerminal()) {
      return false;
    }
    try {
      String target = Files.readSymbolicLink(Path.of("/proc/self/fd/2")).toString();
      return target.startsWith("/dev/pts/") || target.startsWith("/dev/tty");
    } catch (IOException | UnsupportedOperationException e) {
      return false;
    }
  }

  @Override public void fileWritten(long size) {
    files++;
    bytes += size;
    long now = System.nanoTime();
    if (now - lastDraw >= REDRAW_NANOS) {
      lastDraw = now;
      Interruption.quietly(() -> draw(now));
    }
  }

  private void draw(long now) {
    double seconds = (now - start) / 1e9;
    double rate = seconds > 0 ? bytes / seconds : 0;
    long eta = rate > 0 ? (long) ((totalBytes - bytes) / rate) : 0;
    int percent = totalBytes > 0 ? (int) (bytes * 100 / totalBytes) : files * 100 / Math.max(1, totalFiles);
    int filled = percent / 5;
    out.printf(Locale.ROOT, "\r[%s%s] %3d%% %d/%d files, %s/%s, %s/s, ETA %d:%02d\033[K",
        "#".repeat(filled), " ".repeat(20 - filled), percent, files, totalFiles, Sizes.human(bytes),
        Sizes.human(totalBytes), Sizes.human((long) rate), eta / 60, eta % 60);
    out.flush();
  }

  /** Erases the bar so the summary line starts clean. */
  void finish() {
    out.print("\r\033[K");
    out.flush();
  }
}
