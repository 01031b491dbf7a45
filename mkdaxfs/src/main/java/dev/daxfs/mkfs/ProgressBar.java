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
 * One self-redrawing line on a terminal while files are hashed (--dedupe) or written: what is
 * done, files, bytes, rate, ETA. Redrawn at most five times a second; erased when done. It never
 * shows more than 100 %, and no ETA until a second has passed and 1 % is done (before that the
 * rate says nothing yet: the first files may be the small ones, or all in the page cache).
 */
final class ProgressBar implements ImageWriter.Progress {
  private static final long REDRAW_NANOS = 200_000_000L;
  private static final long ETA_AFTER_NANOS = 1_000_000_000L;

  private final PrintStream out;
  private final String doing;
  private final long totalFiles;
  private final long totalBytes;
  private final long start = System.nanoTime();
  private long lastDraw = start;
  private long files;
  private long bytes;

  ProgressBar(PrintStream out, String doing, long totalFiles, long totalBytes) {
    this.out = out;
    this.doing = doing;
    this.totalFiles = totalFiles;
    this.totalBytes = totalBytes;
  }

  /** A bar on stderr when it is a terminal and not quiet; otherwise null (nothing to draw). */
  static ProgressBar onTerminal(boolean quiet, String doing, long totalFiles, long totalBytes) {
    return !quiet && stderrIsTerminal() ? new ProgressBar(System.err, doing, totalFiles, totalBytes) : null;
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
    redraw();
  }

  /** Shows {@code doneFiles} and {@code doneBytes} done (from a thread polling workers' counters). */
  void show(long doneFiles, long doneBytes) {
    files = doneFiles;
    bytes = doneBytes;
    redraw();
  }

  private void redraw() {
    long now = System.nanoTime();
    if (now - lastDraw >= REDRAW_NANOS) {
      lastDraw = now;
      long elapsed = now - start;
      Interruption.quietly(() -> {
        out.print(line(elapsed, files, bytes));
        out.flush();
      });
    }
  }

  /** The line after {@code nanos} with so much done; package-private for the test. */
  String line(long nanos, long doneFiles, long doneBytes) {
    long f = Math.min(doneFiles, totalFiles);
    long b = Math.min(doneBytes, totalBytes);
    int percent = totalBytes > 0 ? (int) (b * 100 / totalBytes) : (int) (f * 100 / Math.max(1, totalFiles));
    double seconds = nanos / 1e9;
    double rate = seconds > 0 ? b / seconds : 0;
    String eta = "--:--";
    if (nanos >= ETA_AFTER_NANOS && percent >= 1 && rate > 0) {
      long left = (long) ((totalBytes - b) / rate);
      eta = String.format(Locale.ROOT, "%d:%02d", left / 60, left % 60);
    }
    int filled = percent / 5;
    return String.format(Locale.ROOT, "\r%s [%s%s] %3d%% %d/%d files, %s/%s, %s/s, ETA %s\033[K", doing,
        "#".repeat(filled), " ".repeat(20 - filled), percent, f, totalFiles, Sizes.human(b), Sizes.human(totalBytes),
        Sizes.human((long) rate), eta);
  }

  /** Erases the bar so the summary line starts clean. */
  void finish() {
    out.print("\r\033[K");
    out.flush();
  }
}
