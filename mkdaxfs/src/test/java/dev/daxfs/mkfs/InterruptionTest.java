package dev.daxfs.mkfs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.daxfs.format.Child;
import dev.daxfs.format.DirectorySnapshot;
import java.io.File;
import java.io.IOException;
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
    Map<String, String> before = DirectorySnapshot.of(out);
    Child c = Child.start(tmp, "dev.daxfs.mkfs.Mkdaxfs", named, "-d", src.toString(), "-o", out.resolve("img").toString());
    c.awaitWriting(out, named);
    assertEquals(status, c.signal(signal), c.stderrText());
    assertEquals(before, DirectorySnapshot.of(out), "SIG" + signal + (named ? ", named temporary file" : ""));
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
    Path tree = Files.createDirectories(tmp.resolve("tree/a"));
    for (int i = 0; i < 3000; i++) {
      try (RandomAccessFile f = new RandomAccessFile(tree.resolve(Integer.toString(i)).toFile(), "rw")) {
        f.setLength(64 << 10);
      }
    }
    Files.move(src.resolve("sparse"), tree.resolveSibling("z"));
    interruptOnTerminal(tree.getParent(), "writing [", "INT", 130, null);
  }

  /**
   * The scan line ("scanning: N files, ...") is erased by SIGTERM. A warm tree of 5,000 files is
   * scanned before the line's first draw (200 ms), so mkdaxfs is stopped (SIGSTOP) for 300 ms as
   * soon as its scan threads exist: the line is drawn with most of the scan still to do.
   */
  @Test void sigtermErasesTheScanLine() throws Exception {
    Path tree = tmp.resolve("many");
    for (int d = 0; d < 50; d++) {
      Path dir = Files.createDirectories(tree.resolve(Integer.toString(d)));
      for (int i = 0; i < 100; i++) {
        Files.createFile(dir.resolve(Integer.toString(i)));
      }
    }
    String terminal = interruptOnTerminal(tree, "scanning: ", "TERM", 143, "scan");
    assertFalse(terminal.contains("writing ["), "the signal landed after the scan: " + visible(terminal));
  }

  /** The hashing bar of --dedupe (two 4 GiB files of holes to hash) is erased by SIGINT. */
  @Test void sigintErasesTheHashingBar() throws Exception {
    try (RandomAccessFile f = new RandomAccessFile(src.resolve("sparse2").toFile(), "rw")) {
      f.setLength(4L << 30);
    }
    String terminal = interruptOnTerminal(src, "hashing [", "INT", 130, null, "--dedupe");
    assertFalse(terminal.contains("writing ["), "the signal landed after hashing: " + visible(terminal));
  }

  /**
   * Runs mkdaxfs on a pty until {@code drawn} is on it, then sends {@code signal} (SIGTERM without a
   * kill process, so it lands at once): the last bytes on the terminal erase the line, nothing is
   * left in the output directory. With {@code pauseAt}, mkdaxfs is stopped for 300 ms once it has a
   * thread of that name. Returns what the terminal showed.
   */
  private String interruptOnTerminal(Path input, String drawn, String signal, int status, String pauseAt,
      String... options) throws Exception {
    assumeTrue(Run.available("script", "-qefc", "true", "/dev/null"));
    Path empty = Files.createDirectory(tmp.resolve("empty-out"));
    String javaBin = ProcessHandle.current().info().command().orElseThrow();
    String command = "env --default-signal=INT,TERM '" + javaBin + "' --enable-native-access=ALL-UNNAMED -cp '"
        + System.getProperty("java.class.path") + "' dev.daxfs.mkfs.Mkdaxfs " + String.join(" ", options) + " -d '"
        + input + "' -o '" + empty.resolve("img") + "'";
    Path log = tmp.resolve("terminal.log");
    Process script = new ProcessBuilder("script", "-qefc", command, "/dev/null").redirectErrorStream(true)
        .redirectOutput(log.toFile()).start();
    long deadline = System.nanoTime() + 60_000_000_000L;
    if (pauseAt != null) {
      ProcessHandle java;
      while ((java = mkdaxfs(script, javaBin)) == null || !hasThread(java, pauseAt)) {
        assertTrue(script.isAlive() && System.nanoTime() < deadline, "no " + pauseAt + " thread");
      }
      assertEquals(0, new ProcessBuilder("kill", "-s", "STOP", Long.toString(java.pid())).start().waitFor());
      Thread.sleep(300);
      // script(1) stops itself when its child stops (as a shell's job would): both go on.
      assertEquals(0, new ProcessBuilder("kill", "-s", "CONT", Long.toString(java.pid()), Long.toString(script.pid()))
          .start().waitFor());
    }
    while (!Files.readString(log, StandardCharsets.ISO_8859_1).contains(drawn)) {
      assertTrue(script.isAlive() && System.nanoTime() < deadline, "no '" + drawn + "' line drawn: "
          + visible(Files.readString(log, StandardCharsets.ISO_8859_1)));
      Thread.sleep(5);
    }
    ProcessHandle mkdaxfs = mkdaxfs(script, javaBin);
    if (signal.equals("TERM")) {
      assertTrue(mkdaxfs.destroy());
    } else {
      assertEquals(0, new ProcessBuilder("kill", "-s", signal, Long.toString(mkdaxfs.pid())).start().waitFor());
    }
    assertTrue(script.waitFor(60, TimeUnit.SECONDS));
    assertEquals(status, script.exitValue());
    String terminal = Files.readString(log, StandardCharsets.ISO_8859_1);
    assertTrue(terminal.endsWith("\r\033[K"), "the last bytes on the terminal erase the line: "
        + visible(terminal.substring(Math.max(0, terminal.length() - 80))));
    assertEquals(Map.of(), DirectorySnapshot.of(empty));
    return terminal;
  }

  private static ProcessHandle mkdaxfs(Process script, String javaBin) {
    return script.descendants().filter(h -> h.info().command().orElse("").equals(javaBin)).findFirst().orElse(null);
  }

  private static boolean hasThread(ProcessHandle p, String name) {
    File[] tasks = new File("/proc/" + p.pid() + "/task").listFiles();
    for (File t : tasks == null ? new File[0] : tasks) {
      try {
        if (Files.readString(t.toPath().resolve("comm")).strip().equals(name)) {
          return true;
        }
      } catch (IOException e) {
        // the thread ended meanwhile
      }
    }
    return false;
  }

  private static String visible(String terminal) {
    return terminal.replace("\033", "ESC").replace("\r", "CR");
  }
}
