package dev.daxfs.mkfs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.TimeUnit;
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

  /**
   * On a terminal (script(1) gives mkdaxfs a pty), the progress line drawn while the small files
   * are written is erased when SIGINT arrives during the big one.
   */
  @Test void sigintErasesTheProgressLine() throws Exception {
    assumeTrue(Run.available("script", "-qefc", "true", "/dev/null"));
    Path tree = Files.createDirectories(tmp.resolve("tree/a"));
    for (int i = 0; i < 3000; i++) {
      try (RandomAccessFile f = new RandomAccessFile(tree.resolve(Integer.toString(i)).toFile(), "rw")) {
        f.setLength(64 << 10);
      }
    }
    Files.move(src.resolve("sparse"), tree.resolveSibling("z"));
    Path empty = Files.createDirectory(tmp.resolve("empty-out"));
    String javaBin = ProcessHandle.current().info().command().orElseThrow();
    String command = "env --default-signal=INT '" + javaBin + "' --enable-native-access=ALL-UNNAMED -cp '"
        + System.getProperty("java.class.path") + "' dev.daxfs.mkfs.Mkdaxfs -d '" + tree.getParent() + "' -o '"
        + empty.resolve("img") + "'";
    Path log = tmp.resolve("terminal.log");
    Process script = new ProcessBuilder("script", "-qefc", command, "/dev/null").redirectErrorStream(true)
        .redirectOutput(log.toFile()).start();
    long deadline = System.nanoTime() + 60_000_000_000L;
    while (!Files.readString(log, StandardCharsets.ISO_8859_1).contains(" files, ")) {
      assertTrue(script.isAlive() && System.nanoTime() < deadline, "no progress line drawn: " + Files.readString(log));
      Thread.sleep(10);
    }
    ProcessHandle mkdaxfs = script.descendants().filter(h -> h.info().command().orElse("").equals(javaBin)).findFirst()
        .orElseThrow();
    assertEquals(0, new ProcessBuilder("kill", "-s", "INT", Long.toString(mkdaxfs.pid())).start().waitFor());
    assertTrue(script.waitFor(60, TimeUnit.SECONDS));
    assertEquals(130, script.exitValue());
    String terminal = Files.readString(log, StandardCharsets.ISO_8859_1);
    assertTrue(terminal.endsWith("\r\033[K"), "the last bytes on the terminal erase the line: "
        + terminal.substring(Math.max(0, terminal.length() - 80)).replace("\033", "ESC").replace("\r", "CR"));
    assertEquals(Map.of(), OutputsTest.snapshot(empty));
  }
}
