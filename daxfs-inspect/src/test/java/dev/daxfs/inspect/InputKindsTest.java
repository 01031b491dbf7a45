package dev.daxfs.inspect;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.daxfs.format.LoopDevice;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * -f names an image file or a block device; anything else is refused at once, saying what it is,
 * with the operational exit status 3 (2 means the image has problems), and a FIFO never blocks.
 */
class InputKindsTest {
  @TempDir Path tmp;

  private static Run run(String... args) {
    return assertTimeoutPreemptively(Duration.ofSeconds(20), () -> Run.of(args),
        () -> "daxfs-inspect blocked on " + String.join(" ", args));
  }

  @Test void aFifoIsRefusedWithoutBlocking() throws Exception {
    Path fifo = tmp.resolve("fifo");
    assertEquals(0, new ProcessBuilder("mkfifo", fifo.toString()).inheritIO().start().waitFor());
    Run r = run("status", "-f", fifo.toString());
    assertEquals(ImageCommand.OUTPUT, r.status(), r::toString);
    assertEquals("daxfs-inspect: " + fifo + ": is a FIFO, not an image (a regular file or a block device)\n", r.err());
  }

  @Test void aDirectorySaysWhatItIs() {
    Run r = run("ls", "-f", tmp.toString(), "/");
    assertEquals(ImageCommand.OUTPUT, r.status(), r::toString);
    assertEquals("daxfs-inspect: " + tmp + ": is a directory, not an image (a regular file or a block device)\n",
        r.err());
  }

  @Test void aBlockDeviceIsReadLikeAFile() throws Exception {
    if (!LoopDevice.available()) {
      return;
    }
    Path file = Fixture.staticImage(tmp);
    String fromFile = Run.ok("ls", "-R", "-f", file.toString(), "/").out();
    try (RandomAccessFile raf = new RandomAccessFile(file.toFile(), "rw")) {
      raf.setLength(Files.size(file) + (1 << 20));
    }
    try (LoopDevice loop = LoopDevice.attach(file)) {
      assertEquals(fromFile, Run.ok("ls", "-R", "-f", loop.path(), "/").out());
      Run status = Run.ok("status", "-f", loop.path());
      assertTrue(status.out().contains("Errors:          0"), status::toString);
    }
  }
}
