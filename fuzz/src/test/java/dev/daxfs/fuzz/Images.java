package dev.daxfs.fuzz;

import dev.daxfs.format.Content;
import dev.daxfs.format.ImageLayout;
import dev.daxfs.format.ImageSpec;
import dev.daxfs.format.ImageWriter;
import dev.daxfs.format.Node;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.lang.foreign.MemorySegment;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.zip.GZIPInputStream;

/** Images for the tests: written by the codec, or the real kernel's dumps from the shared folder. */
final class Images {
  private Images() {}

  static byte[] write(Node.Directory root, ImageSpec spec) {
    try {
      ImageLayout layout = ImageLayout.plan(root, spec);
      byte[] out = new byte[Math.toIntExact(layout.imageSize())];
      ImageWriter.write(layout, MemorySegment.ofArray(out), ImageWriter.Progress.NONE);
      return out;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static Node.File file(String name, int mode, String text) {
    byte[] b = text.getBytes(java.nio.charset.StandardCharsets.UTF_8);
    return new Node.File(Node.name(name), mode, 0, 0, b.length, Content.of(b));
  }

  /** A small tree with every kind the format holds, a shared extent, an empty file and directory. */
  static Node.Directory sampleTree() {
    byte[] shared = "shared contents\n".getBytes();
    Content same = Content.of(shared);
    return new Node.Directory(new byte[0], 0755, 0, 0, List.of(
        file("hello", 0644, "hello\n"),
        new Node.File(Node.name("empty"), 0600, 7, 8, 0, Content.of(new byte[0])),
        new Node.Symlink(Node.name("link"), 0777, 0, 0, Node.name("hello")),
        new Node.Directory(Node.name("dir"), 0750, 1000, 1000, List.of(
            new Node.File(Node.name("a"), 0644, 0, 0, shared.length, same),
            new Node.File(Node.name("b"), 0644, 0, 0, shared.length, same),
            new Node.Directory(Node.name("nested"), 0700, 0, 0, List.of(file("leaf", 0444, "leaf"))))),
        new Node.Directory(Node.name("void"), 0755, 0, 0, List.of())));
  }

  /** The shared folder beside the repository (walking up from the working directory). */
  static Path shared() {
    Path p = Path.of("").toAbsolutePath();
    for (; p != null; p = p.getParent()) {
      Path candidate = p.resolveSibling("shared");
      if (p.getParent() != null && Files.isDirectory(candidate.resolve("kernel-images"))) {
        return candidate;
      }
    }
    return null;
  }

  static byte[] kernelImage(String name) {
    Path dir = shared();
    if (dir == null) {
      return null;
    }
    try (InputStream in = new GZIPInputStream(Files.newInputStream(dir.resolve("kernel-images/" + name + ".daxfs.gz")))) {
      return in.readAllBytes();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static void putU16(byte[] b, long at, int v) {
    MemorySegment.ofArray(b).set(java.lang.foreign.ValueLayout.JAVA_SHORT_UNALIGNED, at, (short) v);
  }

  static void putU32(byte[] b, long at, int v) {
    MemorySegment.ofArray(b).set(java.lang.foreign.ValueLayout.JAVA_INT_UNALIGNED, at, v);
  }

  static void putU64(byte[] b, long at, long v) {
    MemorySegment.ofArray(b).set(java.lang.foreign.ValueLayout.JAVA_LONG_UNALIGNED, at, v);
  }

  static long u64(byte[] b, long at) {
    return MemorySegment.ofArray(b).get(java.lang.foreign.ValueLayout.JAVA_LONG_UNALIGNED, at);
  }

  static int u32(byte[] b, long at) {
    return MemorySegment.ofArray(b).get(java.lang.foreign.ValueLayout.JAVA_INT_UNALIGNED, at);
  }
}
