package dev.daxfs.inspect;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.daxfs.format.Content;
import dev.daxfs.format.ImageLayout;
import dev.daxfs.format.ImageSpec;
import dev.daxfs.format.ImageWriter;
import dev.daxfs.format.Node;
import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * extract run by a user who is not root (the real tool in a child process, switched to nobody by
 * setpriv): setuid, setgid and sticky bits are dropped, one warning line says so, exit 0.
 */
class ExtractAsUserTest {
  private static final int NOBODY = 65534;

  @TempDir Path tmp;

  @Test
  void anotherUserDropsSetuidSetgidAndStickyBits() throws Exception {
    if (!Integer.valueOf(0).equals(Files.getAttribute(Path.of("/proc/self"), "unix:uid"))) {
      System.err.println("SKIPPED: needs root to run extract as another user");
      return;
    }
    if (new ProcessBuilder("setpriv", "--version").start().waitFor() != 0) {
      System.err.println("SKIPPED: setpriv (util-linux) is not available to run extract as another user");
      return;
    }
    Files.setPosixFilePermissions(tmp, PosixFilePermissions.fromString("rwxr-xr-x"));
    Node.Directory root = new Node.Directory(new byte[0], 0755, 0, 0, List.of(
        new Node.File(n("su"), 04755, 0, 0, 2, Content.of(n("#!"))),
        new Node.File(n("sg"), 02755, 0, 0, 0, Content.of(new byte[0])),
        new Node.Directory(n("shared"), 01777, 0, 0, List.of(
            new Node.File(n("plain"), 0640, 0, 0, 0, Content.of(n("x")))))));
    Path image = tmp.resolve("modes.img");
    ImageWriter.write(ImageLayout.plan(root, ImageSpec.staticImage()), image, ImageWriter.Progress.NONE);
    Files.setPosixFilePermissions(image, PosixFilePermissions.fromString("rw-r--r--"));
    Path home = Files.createDirectory(tmp.resolve("home"));
    Files.setAttribute(home, "unix:uid", NOBODY);
    Files.setAttribute(home, "unix:gid", NOBODY);
    Path out = home.resolve("x");

    List<String> cmd = new ArrayList<>(List.of("setpriv", "--reuid=" + NOBODY, "--regid=" + NOBODY,
        "--clear-groups", ProcessHandle.current().info().command().orElseThrow(),
        "--enable-native-access=ALL-UNNAMED", "-XX:+UseSerialGC", "-cp", readableClassPath(), Inspect.class.getName(),
        "extract", "-f", image.toString(), out.toString()));
    Path stderr = tmp.resolve("err");
    Process p = new ProcessBuilder(cmd).directory(home.toFile()).redirectError(stderr.toFile())
        .redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
    assertTrue(p.waitFor(60, TimeUnit.SECONDS), "extract as nobody did not end in 60 s");
    String err = Files.readString(stderr, StandardCharsets.UTF_8);
    assertEquals(0, p.exitValue(), err);
    assertEquals("daxfs-inspect: warning: setuid, setgid and sticky bits dropped from 3 entries (only root keeps them)\n",
        err);
    assertEquals(NOBODY, Files.getAttribute(out.resolve("su"), "unix:uid"), "the files are the user's");
    assertEquals(0755, mode(out.resolve("su")));
    assertEquals(0755, mode(out.resolve("sg")));
    assertEquals(0777, mode(out.resolve("shared")));
    assertEquals(0640, mode(out.resolve("shared/plain")));
    assertEquals("#!", Files.readString(out.resolve("su")));
  }

  /**
   * This JVM's class path copied where nobody can read it: the local Maven repository and the
   * build tree may sit in a directory only root may enter.
   */
  private String readableClassPath() throws IOException {
    Path cp = Files.createDirectory(tmp.resolve("cp"));
    List<String> entries = new ArrayList<>();
    int i = 0;
    for (String e : System.getProperty("java.class.path").split(File.pathSeparator)) {
      Path from = Path.of(e);
      if (!Files.exists(from)) {
        continue;
      }
      Path to = cp.resolve(i++ + "-" + from.getFileName());
      try (Stream<Path> s = Files.walk(from)) {
        for (Path x : (Iterable<Path>) s::iterator) {
          Path y = to.resolve(from.relativize(x).toString());
          if (Files.isDirectory(x)) {
            Files.createDirectories(y);
          } else {
            Files.copy(x, y, StandardCopyOption.COPY_ATTRIBUTES);
          }
        }
      }
      entries.add(to.toString());
    }
    try (Stream<Path> s = Files.walk(cp)) {
      for (Path x : (Iterable<Path>) s::iterator) {
        Files.setPosixFilePermissions(x, PosixFilePermissions.fromString(Files.isDirectory(x) ? "rwxr-xr-x" : "rw-r--r--"));
      }
    }
    return String.join(File.pathSeparator, entries);
  }

  private static int mode(Path p) throws IOException {
    return (Integer) Files.getAttribute(p, "unix:mode", LinkOption.NOFOLLOW_LINKS) & 07777;
  }

  private static byte[] n(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }
}
