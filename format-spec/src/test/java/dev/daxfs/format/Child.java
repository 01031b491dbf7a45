package dev.daxfs.format;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A tool run as a real child process (this JVM's java and class path), to send it real signals.
 * The child's SIGINT, SIGTERM and SIGHUP are reset to their defaults (env --default-signal): a test
 * run from a background job inherits SIGINT ignored, and a JVM keeps a signal ignored at start.
 */
public record Child(Process process, Path stderr) {
  public static boolean envResetsSignals() {
    try {
      if (new ProcessBuilder("env", "--default-signal=INT,TERM,HUP", "true").start().waitFor() == 0) {
        return true;
      }
    } catch (IOException | InterruptedException e) {
      // reported below
    }
    System.err.println("SKIPPED: env --default-signal (coreutils 8.31) is not available");
    return false;
  }

  public static Child start(Path dir, String mainClass, boolean namedTemporary, String... args) throws IOException {
    List<String> cmd = new ArrayList<>(List.of("env", "--default-signal=INT,TERM,HUP",
        ProcessHandle.current().info().command().orElseThrow(), "--enable-native-access=ALL-UNNAMED",
        "-XX:+UseSerialGC", "-Xshare:auto"));
    if (namedTemporary) {
      cmd.add("-Ddev.daxfs.output.named=true");
    }
    cmd.addAll(List.of("-cp", System.getProperty("java.class.path"), mainClass));
    cmd.addAll(List.of(args));
    Path err = Files.createTempFile(dir, "child", ".err");
    Process p = new ProcessBuilder(cmd).directory(dir.toFile()).redirectError(err.toFile())
        .redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
    return new Child(p, err);
  }

  /**
   * Waits until the child is writing its output in {@code outDir}: it holds an unnamed O_TMPFILE
   * there (/proc shows "#INODE (deleted)"), or, with the named fallback, a ".tmp" file exists.
   */
  public void awaitWriting(Path outDir, boolean named) throws Exception {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
    Path fds = Path.of("/proc/" + process.pid() + "/fd");
    while (System.nanoTime() < deadline) {
      assertTrue(process.isAlive(), () -> "the child ended before writing: exit " + process.exitValue() + ", "
          + stderrText());
      if (named) {
        try (var s = Files.list(outDir)) {
          if (s.anyMatch(p -> p.getFileName().toString().endsWith(".tmp"))) {
            return;
          }
        }
      } else {
        File[] open = fds.toFile().listFiles();
        for (File fd : open == null ? new File[0] : open) {
          try {
            String target = Files.readSymbolicLink(fd.toPath()).toString();
            if (target.startsWith(outDir + "/#") && target.endsWith(" (deleted)")) {
              return;
            }
          } catch (IOException e) {
            // closed meanwhile
          }
        }
      }
      Thread.sleep(2);
    }
    throw new AssertionError("the child did not start writing in 60 s: " + stderrText());
  }

  /** Sends {@code signal} (INT, TERM, HUP, KILL) and returns the exit status. */
  public int signal(String signal) throws Exception {
    Process kill = new ProcessBuilder("kill", "-s", signal, Long.toString(process.pid())).inheritIO().start();
    assertTrue(kill.waitFor() == 0, "kill -s " + signal);
    assertTrue(process.waitFor(60, TimeUnit.SECONDS), "the child did not end after SIG" + signal);
    return process.exitValue();
  }

  public String stderrText() {
    try {
      return Files.readString(stderr, StandardCharsets.UTF_8);
    } catch (IOException e) {
      return "(stderr unreadable: " + e.getMessage() + ")";
    }
  }
}
