package dev.daxfs.mkfs;

import dev.daxfs.nativemem.Interruption;
import java.io.PrintStream;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicLong;

/**
 * What the scan of a tree has found so far, on one self-redrawing line (the scan's total is not
 * known until it ends, so there is no bar): a large tree is seconds of scanning, not of silence.
 * The listing threads count; the thread waiting for them draws, at most five times a second.
 * Erased when the scan ends, and by SIGINT, SIGTERM or SIGHUP as the write bar is.
 */
final class ScanLine {
  private static final long REDRAW_NANOS = 200_000_000L;

  final AtomicLong files = new AtomicLong();
  final AtomicLong directories = new AtomicLong();
  final AtomicLong bytes = new AtomicLong();
  private final PrintStream out;
  private long lastDraw = System.nanoTime();

  /** Counts, and draws on {@code out} unless it is null. */
  ScanLine(PrintStream out) {
    this.out = out;
  }

  /** Redraws if it is time to. */
  void tick() {
    long now = System.nanoTime();
    if (out != null && now - lastDraw >= REDRAW_NANOS) {
      lastDraw = now;
      Interruption.quietly(() -> {
        out.print(String.format(Locale.ROOT, "\rscanning: %d files, %d directories, %s\033[K", files.get(),
            directories.get(), dev.daxfs.cli.Sizes.human(bytes.get())));
        out.flush();
      });
    }
  }

  /** Erases the line if the process ends (a signal) before the registration is closed. */
  Interruption.Registration eraseOnEnd() {
    return out == null ? () -> { } : Interruption.onEnd(this::finish);
  }

  /** Erases the line. */
  void finish() {
    if (out != null) {
      out.print("\r\033[K");
      out.flush();
    }
  }
}
