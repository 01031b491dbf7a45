package dev.daxfs.fsck;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.daxfs.format.LoopDevice;
import dev.daxfs.validate.Fixture;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What daxfs-fsck does with each kind of file named as the image, the key or the signature:
 * regular files and block devices are read; a FIFO, a directory or a character device is refused
 * at once (exit 8) saying what it is, never read (a FIFO would block, /dev/zero never ends).
 */
class InputKindsTest {
  private static final Duration GUARD = Duration.ofSeconds(20);

  @TempDir Path dir;
  private final StringWriter out = new StringWriter();
  private final StringWriter err = new StringWriter();

  private int run(String... args) {
    return assertTimeoutPreemptively(GUARD, () -> Fsck.run(new PrintWriter(out), new PrintWriter(err), args),
        () -> "daxfs-fsck blocked on " + String.join(" ", args));
  }

  private Path fifo(String name) throws Exception {
    Process p = new ProcessBuilder("mkfifo", dir.resolve(name).toString()).inheritIO().start();
    assertEquals(0, p.waitFor());
    return dir.resolve(name);
  }

  private Path image() throws IOException {
    return Files.write(dir.resolve("image.daxfs"), Fixture.staticImage().bytes());
  }

  @Test void aFifoAsTheImageIsRefusedWithoutBlocking() throws Exception {
    Path p = fifo("p");
    assertEquals(Fsck.OPERATIONAL, run(p.toString()));
    assertEquals("daxfs-fsck: " + p + ": is a FIFO, not an image (a regular file or a block device)\n", err.toString());
  }

  @Test void aDirectoryAsTheImageSaysSo() {
    assertEquals(Fsck.OPERATIONAL, run(dir.toString()));
    assertEquals("daxfs-fsck: " + dir + ": is a directory, not an image (a regular file or a block device)\n",
        err.toString());
  }

  @Test void aCharacterDeviceAsTheImageSaysSo() {
    assertEquals(Fsck.OPERATIONAL, run("/dev/zero"));
    assertEquals("daxfs-fsck: /dev/zero: is a character device, not an image (a regular file or a block device)\n",
        err.toString());
  }

  @Test void aFifoAsTheKeyIsRefusedWithoutBlocking() throws Exception {
    Path image = image();
    Path key = fifo("key.pub");
    assertEquals(Fsck.OPERATIONAL, run("--verify-sig", image + ".sig", "--key", key.toString(), image.toString()));
    assertTrue(err.toString().contains(key + ": is a FIFO, not a key file"), err::toString);
  }

  @Test void devZeroAsTheKeyIsRefusedNotReadUntilMemoryRunsOut() throws Exception {
    Path image = image();
    assertEquals(Fsck.OPERATIONAL, run("--verify-sig", image + ".sig", "--key", "/dev/zero", image.toString()));
    assertTrue(err.toString().contains("/dev/zero: is a character device, not a key file"), err::toString);
  }

  @Test void anEndlessKeyFileIsReadOnlyUpToTheLimit() throws Exception {
    // /proc files say size 0 whatever they hold: only the bytes read can bound the read.
    Path image = image();
    assertEquals(Fsck.OPERATIONAL, run("--verify-sig", image + ".sig", "--key", "/proc/self/maps", image.toString()));
    assertTrue(err.toString().contains("/proc/self/maps"), err::toString);
  }

  @Test void aFifoAsTheSignatureIsRefusedWithoutBlocking() throws Exception {
    Path image = image();
    Path pub = dir.resolve("k.pub");
    dev.daxfs.integrity.KeyFiles.write(java.security.KeyPairGenerator.getInstance("Ed25519").generateKeyPair(),
        dir.resolve("k"));
    Path sig = fifo("image.sig");
    assertEquals(Fsck.OPERATIONAL, run("--verify-sig", sig.toString(), "--key", pub.toString(), image.toString()));
    assertTrue(err.toString().contains(sig + ": is a FIFO, not a signature file"), err::toString);
  }

  @Test void aBlockDeviceIsAnImage() throws Exception {
    if (!LoopDevice.available()) {
      return;
    }
    // The device is larger than the image (as a partition would be): the image is the prefix.
    Path file = image();
    try (var raf = new java.io.RandomAccessFile(file.toFile(), "rw")) {
      raf.setLength(Files.size(file) + (1 << 20));
    }
    try (LoopDevice loop = LoopDevice.attach(file)) {
      assertEquals(Fsck.VALID, run(loop.path()), err::toString);
      assertEquals(loop.path() + ": valid (0 errors, 0 warnings)\n", out.toString());
    }
  }
}
