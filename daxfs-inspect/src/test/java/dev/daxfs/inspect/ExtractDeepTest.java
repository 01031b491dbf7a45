package dev.daxfs.inspect;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.daxfs.format.Content;
import dev.daxfs.format.ImageLayout;
import dev.daxfs.format.ImageSpec;
import dev.daxfs.format.ImageWriter;
import dev.daxfs.format.Node;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A tree nested deeper than the process may hold descriptors (the usual soft limit is 1024; the
 * child here gets 128) is extracted whole: extract keeps a bounded window of directories open.
 */
class ExtractDeepTest {
  private static final int DEPTH = 600;

  @TempDir Path tmp;

  @Test void nestsDeeperThanTheDescriptorLimit() throws Exception {
    if (new ProcessBuilder("prlimit", "--version").start().waitFor() != 0) {
      throw new AssertionError("prlimit (util-linux) is needed to lower the descriptor limit");
    }
    Node.Directory leaf = new Node.Directory(b("d"), 0500, 0, 0, List.of(
        new Node.File(b("deepest"), 0644, 0, 0, 7, Content.of(b("bottom\n")))));
    Node.Directory d = leaf;
    for (int i = 1; i < DEPTH; i++) {
      d = new Node.Directory(b("d"), i % 100 == 0 ? 0700 : 0755, 0, 0, List.of(d));
    }
    Node.Directory root = new Node.Directory(new byte[0], 0755, 0, 0, List.of(d,
        new Node.File(b("top"), 0644, 0, 0, 4, Content.of(b("top\n")))));
    Path image = tmp.resolve("deep.img");
    ImageWriter.write(ImageLayout.plan(root, ImageSpec.staticImage()), image, ImageWriter.Progress.NONE);
    Path out = tmp.resolve("x");
    Path stderr = tmp.resolve("err");
    Process p = new ProcessBuilder("prlimit", "--nofile=128:128", ProcessHandle.current().info().command().orElseThrow(),
        "--enable-native-access=ALL-UNNAMED", "-XX:+UseSerialGC", "-cp", System.getProperty("java.class.path"),
        Inspect.class.getName(), "extract", "-f", image.toString(), out.toString())
        .redirectError(stderr.toFile()).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
    assertTrue(p.waitFor(120, TimeUnit.SECONDS), "extract did not end in 120 s");
    assertEquals(0, p.exitValue(), Files.readString(stderr));

    Path deepest = out.resolve(String.join("/", java.util.Collections.nCopies(DEPTH, "d")));
    assertEquals("bottom\n", Files.readString(deepest.resolve("deepest")));
    assertEquals("top\n", Files.readString(out.resolve("top")));
    try (Stream<Path> s = Files.walk(out)) {
      assertEquals(DEPTH + 1, s.filter(Files::isDirectory).count());
    }
    // Modes are set on the way back up, through reopened descriptors too.
    assertEquals(0500, mode(deepest));
    assertEquals(0700, mode(out.resolve(String.join("/", java.util.Collections.nCopies(DEPTH - 100, "d")))));
    assertEquals(0755, mode(out.resolve("d")));
    deepest.toFile().setWritable(true);
  }

  private static int mode(Path p) throws Exception {
    return (Integer) Files.getAttribute(p, "unix:mode", LinkOption.NOFOLLOW_LINKS) & 07777;
  }

  private static byte[] b(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }
}
