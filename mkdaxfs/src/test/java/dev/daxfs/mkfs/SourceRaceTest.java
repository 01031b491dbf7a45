package dev.daxfs.mkfs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A second thread swaps a source file, in a loop, for a symlink to a secret file of the same size,
 * a FIFO or a directory, while mkdaxfs -d reads the tree: the secret never reaches an image, no
 * build blocks, and a build either stores what it scanned or fails with an input error (exit 2)
 * naming the file.
 */
class SourceRaceTest {
  private static final int BUILDS = 25;
  private static final String SIZE_PADDING = "x".repeat(90);

  @TempDir Path tmp;

  enum Swap { SYMLINK, FIFO, DIRECTORY }

  @Test
  void aSymlinkSwappedInIsNeverFollowed() throws Exception {
    race(Swap.SYMLINK);
  }

  @Test
  void aFifoSwappedInNeverBlocks() throws Exception {
    race(Swap.FIFO);
  }

  @Test
  void aDirectorySwappedInIsAnInputError() throws Exception {
    race(Swap.DIRECTORY);
  }

  private void race(Swap kind) throws Exception {
    Path tree = Files.createDirectories(tmp.resolve("tree"));
    Path aside = Files.createDirectories(tmp.resolve("aside"));
    // Read before the racing file (names are laid out in order), so scan and read are apart in time.
    Files.write(tree.resolve("a-big"), new byte[4 << 20]);
    byte[] original = ("public " + SIZE_PADDING).getBytes(StandardCharsets.US_ASCII);
    byte[] secret = ("SECRET " + SIZE_PADDING).getBytes(StandardCharsets.US_ASCII);
    Path secretFile = Files.write(tmp.resolve("secret"), secret);
    Files.setPosixFilePermissions(secretFile, java.nio.file.attribute.PosixFilePermissions.fromString("rw-------"));
    Path racing = tree.resolve("z-file");
    Files.write(racing, original);
    Path intruder = aside.resolve("intruder");
    switch (kind) {
      case SYMLINK -> Files.createSymbolicLink(intruder, secretFile);
      case FIFO -> Run.exec(aside, "mkfifo", "intruder");
      case DIRECTORY -> Files.createDirectory(intruder);
    }
    AtomicBoolean stop = new AtomicBoolean();
    Thread racer = new Thread(() -> {
      Path fresh = aside.resolve("fresh");
      while (!stop.get()) {
        try {
          if (kind == Swap.DIRECTORY) {
            Files.deleteIfExists(racing);
          }
          // About half the time each: a build's scan and read see either, independently.
          Files.move(intruder, racing, StandardCopyOption.ATOMIC_MOVE);
          spin();
          Files.move(racing, intruder, StandardCopyOption.ATOMIC_MOVE);
          Files.write(fresh, original);
          Files.move(fresh, racing, StandardCopyOption.ATOMIC_MOVE);
          spin();
        } catch (IOException e) {
          throw new java.io.UncheckedIOException(e);
        }
      }
    }, "racer");
    racer.start();
    int refused = 0;
    java.util.Set<String> messages = new java.util.TreeSet<>();
    try {
      for (int i = 0; i < BUILDS; i++) {
        Path image = tmp.resolve("img" + i);
        Run r = assertTimeoutPreemptively(Duration.ofSeconds(20), () -> Run.of("-d", tree, "-o", image, "-q"),
            "mkdaxfs blocked on a " + kind);
        if (r.code() == Mkdaxfs.INPUT) {
          assertTrue(r.err().contains(racing.toString()) || r.err().contains(tree.toString()), r.err());
          refused++;
          messages.add(r.err().replace(racing.toString(), "FILE").strip());
          continue;
        }
        assertEquals(0, r.code(), kind + ": " + r.err());
        byte[] bytes = Files.readAllBytes(image);
        assertFalse(contains(bytes, secret), "the secret file went into image " + i);
        Files.delete(image);
      }
    } finally {
      stop.set(true);
      racer.join();
    }
    System.err.println(kind + ": " + refused + " of " + BUILDS + " builds met the swap and refused: " + messages);
  }

  private static void spin() {
    long until = System.nanoTime() + 300_000;
    while (System.nanoTime() < until) {
      Thread.onSpinWait();
    }
  }

  private static boolean contains(byte[] hay, byte[] needle) {
    outer:
    for (int i = 0; i + needle.length <= hay.length; i++) {
      for (int j = 0; j < needle.length; j++) {
        if (hay[i + j] != needle[j]) {
          continue outer;
        }
      }
      return true;
    }
    return false;
  }
}
