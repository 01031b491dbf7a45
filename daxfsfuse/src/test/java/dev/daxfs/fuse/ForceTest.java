package dev.daxfs.fuse;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.daxfs.format.ImageBytes;
import dev.daxfs.format.KernelImages;
import dev.daxfs.validate.Options;
import dev.daxfs.validate.Validator;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Images with flipped bytes (in the superblock, base metadata, branch table and logs of a real
 * kernel image): refused without --force; with --force mounted, walked and read whole within a
 * time bound, without the server crashing, then unmounted cleanly.
 */
class ForceTest {
  private static final int VARIANTS = 6;
  private static final long WALK_SECONDS = 30;

  @TempDir Path dir;

  @Test void corruptImagesAreRefusedAndForceMountsThemWithoutCrashOrHang() throws Exception {
    byte[] original = KernelImages.image("child-active");
    Random random = new Random(1919);
    int[] nonZero = structureBytes(original);
    int refused = 0;
    ExecutorService walker = Executors.newSingleThreadExecutor();
    try {
      for (int attempt = 0; refused < VARIANTS && attempt < 200; attempt++) {
        int v = attempt;
        byte[] bad = original.clone();
        // Zero padding and file data take most of an image and a flip there changes no structure.
        for (int i = 0; i < 12; i++) {
          int at = nonZero[random.nextInt(nonZero.length)];
          bad[at] = (byte) (bad[at] ^ (1 + random.nextInt(255)));
        }
        Path image = dir.resolve("bad-" + v + ".daxfs");
        Files.write(image, bad);
        if (Validator.check(ImageBytes.of(bad), Options.of(bad.length)).errors() == 0) {
          Files.delete(image);
          continue;
        }
        refused++;
        Path mnt = Files.createDirectory(dir.resolve("mnt-" + v));
        try (Mount m = Mount.start(mnt, image.toString(), mnt.toString())) {
          assertEquals(DaxfsFuse.IMAGE, m.exitCode(), m.output());
          assertTrue(m.output().contains("not mounted (--force"), m.output());
        }
        try (Mount m = Mount.start(mnt, image.toString(), mnt.toString(), "--force")) {
          assertTrue(m.mounted(), "variant " + v + ": " + m.output());
          Future<Long> walk = walker.submit(() -> readEverything(mnt));
          long bytes = walk.get(WALK_SECONDS, TimeUnit.SECONDS);
          assertTrue(m.process.isAlive(), "variant " + v + ": the server died: " + m.output());
          assertFalse(m.output().contains("Exception in thread") || m.output().contains("fatal error"),
              "variant " + v + ": " + m.output());
          assertTrue(bytes >= 0);
          m.unmount();
        }
      }
    } finally {
      walker.shutdownNow();
    }
    assertEquals(VARIANTS, refused, "invalid variants made");
  }

  /**
   * The non-zero bytes of the pages that are mostly zero: in this image those hold the structures
   * (superblock, branch table, inodes, dirents, log entries); full pages are file data.
   */
  private static int[] structureBytes(byte[] image) {
    return java.util.stream.IntStream.range(0, image.length).filter(i -> image[i] != 0).filter(i -> {
      int page = i / 4096 * 4096;
      int n = 0;
      for (int j = page; j < Math.min(image.length, page + 4096); j++) {
        n += image[j] != 0 ? 1 : 0;
      }
      return n < 1000;
    }).toArray();
  }

  /** Walks and reads everything the mount shows, taking each error as an answer (bounded: no cycles followed). */
  private static long readEverything(Path root) {
    long total = 0;
    int visited = 0;
    Deque<Path> todo = new ArrayDeque<>();
    todo.push(root);
    while (!todo.isEmpty() && visited++ < 100_000) {
      Path p = todo.pop();
      try {
        if (Files.isDirectory(p, LinkOption.NOFOLLOW_LINKS)) {
          if (root.relativize(p).getNameCount() < 64) {
            try (DirectoryStream<Path> ds = Files.newDirectoryStream(p)) {
              ds.forEach(todo::push);
            }
          }
        } else if (Files.isSymbolicLink(p)) {
          Files.readSymbolicLink(p);
        } else {
          try (InputStream in = Files.newInputStream(p)) {
            total += in.transferTo(java.io.OutputStream.nullOutputStream());
          }
        }
      } catch (IOException | RuntimeException e) {
        // An error is an acceptable answer from a broken image; only a crash or hang is not.
      }
    }
    return total;
  }
}
