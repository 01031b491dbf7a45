package dev.daxfs.fuse;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Mounting in the background, as erofsfuse and squashfuse do by default. A JVM cannot fork, so the
 * same command line is started again with -f in a new session (setsid: no controlling terminal,
 * so closing the terminal does not end it), and this process returns once the mount is there or
 * the child has failed (its messages are passed on).
 */
final class Background {
  private static final long WAIT_MILLIS = 60_000;

  private Background() {}

  static int start(Path mountpoint, PrintWriter err) {
    List<String> command = new ArrayList<>();
    try {
      for (String part : new String(Files.readAllBytes(Path.of("/proc/self/cmdline")), StandardCharsets.UTF_8)
          .split("\0")) {
        command.add(part);
      }
      command.add("-f");
      if (Files.isExecutable(Path.of("/usr/bin/setsid"))) {
        command.addFirst("/usr/bin/setsid");
      }
      Process child = new ProcessBuilder(command)
          .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")))
          .redirectOutput(ProcessBuilder.Redirect.DISCARD)
          .start();
      ByteArrayOutputStream messages = new ByteArrayOutputStream();
      Thread reader = Thread.ofVirtual().start(() -> copy(child.getErrorStream(), messages));
      long deadline = System.currentTimeMillis() + WAIT_MILLIS;
      while (System.currentTimeMillis() < deadline) {
        if (Mounts.isDaxfsMount(mountpoint)) {
          return DaxfsFuse.OK;
        }
        if (!child.isAlive()) {
          reader.join(1000);
          synchronized (messages) {
            err.print(messages.toString(StandardCharsets.UTF_8));
          }
          return child.exitValue() == 0 ? DaxfsFuse.MOUNT : child.exitValue();
        }
        Thread.sleep(20);
      }
      child.destroy();
      err.println("daxfsfuse: " + mountpoint + ": the mount did not appear within " + WAIT_MILLIS / 1000 + " s");
      return DaxfsFuse.MOUNT;
    } catch (IOException e) {
      err.println("daxfsfuse: cannot start the background process: " + e.getMessage());
      return DaxfsFuse.MOUNT;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return DaxfsFuse.MOUNT;
    }
  }

  private static void copy(InputStream in, ByteArrayOutputStream to) {
    byte[] buf = new byte[8192];
    try {
      for (int n; (n = in.read(buf)) > 0; ) {
        synchronized (to) {
          to.write(buf, 0, n);
        }
      }
    } catch (IOException e) {
      // The child is gone; what it wrote so far is kept.
    }
  }
}
