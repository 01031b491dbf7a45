package dev.daxfs.mkfs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Real signals sent to a real mkdaxfs process while it writes the image: the exit status is 128 +
 * the signal's number and the output directory holds exactly what it held before, the previous
 * image unchanged. The input is a 4 GiB sparse file, so the build is still writing when the signal
 * lands (it is sent as soon as the output file is open); almost none of it is ever written.
 */
class InterruptionTest {
  @TempDir Path tmp;
  Path src;
  Path out;

  @BeforeEach void setUp() throws Exception {
    assumeTrue(Child.envResetsSignals(), "SKIPPED: env --default-signal (coreutils 8.31) is needed");
    src = Files.createDirectories(tmp.resolve("src"));
    Files.writeString(src.resolve("small"), "small\n");
    try (RandomAccessFile f = new RandomAccessFile(src.resolve("sparse").toFile(), "rw")) {
      f.setLength(4L << 30);
    }
    out = Files.createDirectory(tmp.resolve("out"));
    Files.writeString(out.resolve("img"), "previous image");
    Files.writeString(out.resolve("other"), "someone else's file");
  }

  private void interrupt(String signal, int status, boolean named) throws Exception {
    Map<String, String> before = OutputsTest.snapshot(out);
    Child c = Child.start(tmp, "dev.daxfs.mkfs.Mkdaxfs", named, "-d", src.toString(), "-o", out.resolve("img").toString());
    c.awaitWriting(out, named);
    assertEquals(status, c.signal(signal), c.stderrText());
    assertEquals(before, OutputsTest.snapshot(out), "SIG" + signal + (named ? ", named temporary file" : ""));
    assertFalse(c.stderrText().contains("Exception"), c.stderrText());
  }

  @Test void sigintLeavesNothing() throws Exception {
    interrupt("INT", 130, false);
  }

  @Test void sigtermLeavesNothing() throws Exception {
    interrupt("TERM", 143, false);
  }

  @Test void sighupLeavesNothing() throws Exception {
    interrupt("HUP", 129, false);
  }

  /** Nothing can run on SIGKILL: the O_TMPFILE has no name, so there is nothing to clean up. */
  @Test void sigkillLeavesNothing() throws Exception {
    interrupt("KILL", 137, false);
  }

  /** Where the file system has no O_TMPFILE, the named temporary file is deleted on each signal. */
  @Test void theNamedFallbackIsDeletedOnEachSignal() throws Exception {
    interrupt("INT", 130, true);
    interrupt("TERM", 143, true);
    interrupt("HUP", 129, true);
  }
}
