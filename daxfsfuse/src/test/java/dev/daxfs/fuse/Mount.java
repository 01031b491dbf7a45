package dev.daxfs.fuse;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A foreground daxfsfuse (-f) in a child JVM, as a user runs it: the test's classpath, the
 * child's SIGINT reset to the default so that a JVM started from a non-interactive shell (which
 * ignores SIGINT for background jobs) still takes Ctrl-C.
 */
final class Mount implements AutoCloseable {
  final Process process;
  final Path mountpoint;
  final Path log;
  private boolean ended;

  private Mount(Process process, Path mountpoint, Path log) {
    this.process = process;
    this.mountpoint = mountpoint;
    this.log = log;
  }

  /** Fails loudly where FUSE cannot run: these tests must not turn into silent skips. */
  static void requireFuse() {
    assertTrue(Files.exists(Path.of("/dev/fuse")), "FAIL: /dev/fuse is missing: daxfsfuse cannot be tested here");
    assertTrue(Files.isExecutable(Path.of("/usr/bin/fusermount3")),
        "FAIL: fusermount3 is missing (Debian: apt install fuse3)");
  }

  /** Runs daxfsfuse with {@code args} and -f; returns once the exit code is known or the mount is up. */
  static Mount start(Path mountpoint, String... args) throws Exception {
    requireFuse();
    Path log = Files.createTempFile("daxfsfuse", ".log");
    List<String> cmd = new ArrayList<>(List.of("env", "--default-signal=INT",
        ProcessHandle.current().info().command().orElseThrow(), "--enable-native-access=ALL-UNNAMED", "-Xss1m",
        "-cp", System.getProperty("java.class.path"), DaxfsFuse.class.getName()));
    cmd.addAll(List.of(args));
    cmd.add("-f");
    Process p = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile()).start();
    Mount m = new Mount(p, mountpoint, log);
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
    while (System.nanoTime() < deadline) {
      if (!p.isAlive() || Mounts.isDaxfsMount(mountpoint)) {
        return m;
      }
      Thread.sleep(20);
    }
    p.destroyForcibly();
    fail("daxfsfuse did not mount within 30 s: " + m.output());
    return m;
  }

  boolean mounted() throws IOException {
    return Mounts.isDaxfsMount(mountpoint);
  }

  String output() throws IOException {
    return Files.readString(log, StandardCharsets.ISO_8859_1);
  }

  /** Waits up to 30 s for the process to end and returns its exit code. */
  int exitCode() throws Exception {
    if (!process.waitFor(30, TimeUnit.SECONDS)) {
      process.destroyForcibly();
      fail("daxfsfuse did not end within 30 s: " + output());
    }
    ended = true;
    return process.exitValue();
  }

  /** fusermount3 -u, then: the server ends with 0 and nothing is left mounted. */
  void unmount() throws Exception {
    Process u = new ProcessBuilder("fusermount3", "-u", mountpoint.toString()).redirectErrorStream(true).start();
    String said = new String(u.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertTrue(u.waitFor(30, TimeUnit.SECONDS));
    assertEquals(0, u.exitValue(), "fusermount3 -u: " + said);
    assertEquals(0, exitCode(), "daxfsfuse after fusermount3 -u: " + output());
    assertFalse(mounted(), "still mounted after fusermount3 -u");
  }

  /** Whatever happened, nothing stays mounted and no process stays behind. */
  @Override public void close() throws Exception {
    if (!ended && process.isAlive()) {
      new ProcessBuilder("fusermount3", "-u", "-z", mountpoint.toString()).start().waitFor(30, TimeUnit.SECONDS);
      if (!process.waitFor(30, TimeUnit.SECONDS)) {
        process.destroyForcibly();
      }
    }
    assertFalse(mounted(), "left mounted: " + mountpoint);
    Files.deleteIfExists(log);
  }
}
