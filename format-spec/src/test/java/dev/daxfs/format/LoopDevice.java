package dev.daxfs.format;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** A loop device over a file (losetup), detached on close; tests that need one say loudly when there is none. */
public record LoopDevice(String path) implements AutoCloseable {

  /** Whether loop devices can be set up here (root, /dev/loop-control, losetup); prints SKIPPED when not. */
  public static boolean available() {
    String why = !Files.exists(Path.of("/dev/loop-control")) ? "/dev/loop-control is missing"
        : !isRoot() ? "setting up a loop device needs root" : null;
    if (why == null) {
      try {
        if (new ProcessBuilder("losetup", "--version").redirectErrorStream(true).start().waitFor() == 0) {
          return true;
        }
      } catch (IOException | InterruptedException e) {
        // said below
      }
      why = "losetup is not installed";
    }
    System.err.println("SKIPPED: no loop device test: " + why);
    return false;
  }

  public static LoopDevice attach(Path file) throws IOException, InterruptedException {
    Process p = new ProcessBuilder("losetup", "--find", "--show", file.toString()).start();
    String device = new String(p.getInputStream().readAllBytes()).strip();
    String error = new String(p.getErrorStream().readAllBytes());
    if (p.waitFor() != 0 || device.isEmpty()) {
      throw new IOException("losetup failed: " + error);
    }
    return new LoopDevice(device);
  }

  private static boolean isRoot() {
    try {
      return Integer.valueOf(0).equals(Files.getAttribute(Path.of("/proc/self"), "unix:uid"));
    } catch (IOException e) {
      return false;
    }
  }

  @Override public void close() throws IOException, InterruptedException {
    new ProcessBuilder("losetup", "--detach", path).inheritIO().start().waitFor();
  }
}
