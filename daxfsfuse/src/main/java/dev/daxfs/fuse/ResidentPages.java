package dev.daxfs.fuse;

import java.io.IOException;
import java.lang.foreign.MemorySegment;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Keeps the image pages resident in this process below a bound, whatever the image size. Every
 * page of the mapping that the validator, the replay or a read reply touches stays mapped and
 * counts in the RSS (with the kernel's fault-around, up to 16 neighbouring pages per touch), though
 * it is the page cache's or the device's memory. A daemon thread looks at the file-backed part of
 * the RSS (/proc/self/statm) every 10 ms and drops the mapping's pages when it passes the bound:
 * MADV_DONTNEED only unmaps them, and a later touch maps them again. The same thread has
 * {@link HeapBound} look at the heap: one watcher for the mount's memory.
 */
final class ResidentPages {
  /**
   * The JVM's own mapped files (the jar, libjvm, the class-data archive) take about 22 MiB of
   * this. With 96 MiB a mount of 1,000,000 files peaked at 251-311 MiB while the validator walked
   * it, with 64 MiB at 181-255 MiB (both under G1, before {@link HeapBound}).
   */
  private static final long BOUND = 64L << 20;
  private static final long PERIOD_MILLIS = 10;
  private static final Path STATM = Path.of("/proc/self/statm");
  private static final long PAGE = 4096;

  private ResidentPages() {}

  /** Starts watching for the rest of the process's life. */
  static void watch(MappedImage image) {
    MemorySegment mapping = image.image().bytes().segment();
    // One look here first: the thread then runs warm code from its first period on, while the
    // validator walks the image faster than a cold start of the thread.
    dropAbove(mapping);
    Thread t = new Thread(() -> loop(mapping), "daxfsfuse-resident-pages");
    t.setDaemon(true);
    t.start();
  }

  private static void loop(MemorySegment mapping) {
    try {
      while (dropAbove(mapping)) {
        HeapBound.check();
        Thread.sleep(PERIOD_MILLIS);
      }
    } catch (InterruptedException e) {
      // The process is ending.
    }
  }

  /** Drops the mapping's pages if the bound is passed; false when there is no /proc to look at. */
  static boolean dropAbove(MemorySegment mapping) {
    try {
      // statm: size resident shared ... in pages; "shared" is the file-backed (and shmem) part.
      String[] f = new String(Files.readAllBytes(STATM), StandardCharsets.US_ASCII).trim().split(" ");
      if (Long.parseLong(f[2]) * PAGE > BOUND) {
        MappedImage.drop(mapping);
      }
      return true;
    } catch (IOException | RuntimeException e) {
      return false; // the pages stay resident: only a cost
    }
  }
}
