package dev.daxfs.format;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Image files: deterministic, sparse, and never left half-written. */
class WriterFilesTest {
  @TempDir Path dir;

  private Path write(Node.Directory tree, ImageSpec spec, String name) throws IOException {
    Path out = dir.resolve(name);
    ImageWriter.write(ImageLayout.plan(tree, spec), out, ImageWriter.Progress.NONE);
    return out;
  }

  /** The same tree with every directory's children in a shuffled order (generated trees are shallow). */
  private static Node shuffled(Node n, Random random) {
    if (!(n instanceof Node.Directory d)) {
      return n;
    }
    List<Node> kids = new ArrayList<>();
    for (Node c : d.children()) {
      kids.add(shuffled(c, random));
    }
    Collections.shuffle(kids, random);
    return new Node.Directory(d.name(), d.mode(), d.uid(), d.gid(), kids);
  }

  @Test
  void sameTreeGivesByteIdenticalImagesWhateverTheChildOrder() throws Exception {
    for (long seed = 0; seed < 5; seed++) {
      Node.Directory tree = TreeGenerator.generate(seed);
      Node.Directory reordered = (Node.Directory) shuffled(tree, new Random(seed));
      for (ImageSpec spec : List.of(ImageSpec.staticImage(), ImageSpec.branching(Format.DEFAULT_DELTA_SIZE))) {
        Path a = write(tree, spec, "a");
        Path b = write(tree, spec, "b");
        Path c = write(reordered, spec, "c");
        assertEquals(-1, Files.mismatch(a, b), "seed " + seed);
        assertEquals(-1, Files.mismatch(a, c), "seed " + seed + ", children reordered");
      }
    }
  }

  @Test
  void branchingImageIsSparse() throws Exception {
    Node.Directory tree = TreeGenerator.generate(1, TreeGenerator.Shape.SMALL);
    Path image = write(tree, ImageSpec.branching(Format.DEFAULT_DELTA_SIZE), "sparse");
    assertTrue(Files.size(image) > Format.DEFAULT_DELTA_SIZE);
    long allocated = allocatedBytes(image);
    assertTrue(allocated < 1 << 20, allocated + " bytes allocated for a " + Files.size(image) + "-byte image");
  }

  /** st_blocks x the block unit, from stat(1): Java has no portable way to read st_blocks. */
  private static long allocatedBytes(Path file) throws Exception {
    Process p;
    try {
      p = new ProcessBuilder("stat", "-c", "%b %B", file.toString()).start();
    } catch (IOException e) {
      System.err.println("SKIPPED: stat(1) is not available: " + e.getMessage());
      assumeTrue(false, "SKIPPED: stat(1) is not available");
      throw e;
    }
    String[] f = new String(p.getInputStream().readAllBytes(), StandardCharsets.US_ASCII).trim().split(" ");
    assertEquals(0, p.waitFor());
    return Long.parseLong(f[0]) * Long.parseLong(f[1]);
  }

  private Node.Directory treeWith(Node.File file) {
    return new Node.Directory(new byte[0], 0755, 0, 0, List.of(file));
  }

  private void assertNothingLeft(Path outDir) throws IOException {
    try (var s = Files.list(outDir)) {
      assertEquals(List.of(), s.toList(), "files left in the output directory");
    }
  }

  @Test
  void sourceGrowingWhileWrittenLeavesNothing() throws Exception {
    Path src = Files.writeString(dir.resolve("src"), "x".repeat(10_000));
    Path outDir = Files.createDirectory(dir.resolve("out"));
    Content growing = (sink, position, size) -> {
      Files.writeString(src, "more", StandardOpenOption.APPEND);   // someone appends meanwhile
      Content.of(src).copyTo(sink, position, size);
    };
    Node.Directory tree = treeWith(new Node.File(Node.name("f"), 0644, 0, 0, 10_000, growing));
    IOException e = assertThrows(IOException.class, () ->
        ImageWriter.write(ImageLayout.plan(tree, ImageSpec.staticImage()), outDir.resolve("img"),
            ImageWriter.Progress.NONE));
    assertTrue(e.getMessage().contains("changed size"), e.getMessage());
    assertNothingLeft(outDir);
  }

  @Test
  void sourceShrunkSinceScanLeavesNothingAndKeepsTheOldImage() throws Exception {
    Path src = Files.writeString(dir.resolve("src"), "short");
    Path outDir = Files.createDirectory(dir.resolve("out"));
    Path old = Files.writeString(outDir.resolve("img"), "previous image");
    Node.Directory tree = treeWith(new Node.File(Node.name("f"), 0644, 0, 0, 9000, Content.of(src)));
    assertThrows(IOException.class, () ->
        ImageWriter.write(ImageLayout.plan(tree, ImageSpec.staticImage()), old, ImageWriter.Progress.NONE));
    try (var s = Files.list(outDir)) {
      assertEquals(List.of(old), s.toList());
    }
    assertEquals("previous image", Files.readString(old));
  }

  @Test
  void outputUnderARegularFileFailsCleanly() throws Exception {
    Path notADir = Files.writeString(dir.resolve("file"), "");
    Node.Directory tree = TreeGenerator.generate(2, TreeGenerator.Shape.SMALL);
    assertThrows(IOException.class, () -> write(tree, ImageSpec.staticImage(), "file/img"));
    try (var s = Files.list(dir)) {
      assertEquals(List.of(notADir), s.toList());
    }
  }

  @Test
  void readOnlyOutputDirectoryFailsCleanly() throws Exception {
    Path ro = Files.createDirectory(dir.resolve("ro"));
    Files.setPosixFilePermissions(ro, PosixFilePermissions.fromString("r-xr-xr-x"));
    try {
      boolean root = Files.isWritable(ro);
      if (root) {
        System.err.println("SKIPPED: running as root, a read-only directory is still writable");
      }
      assumeTrue(!root, "SKIPPED: running as root, a read-only directory is still writable");
      Node.Directory tree = TreeGenerator.generate(3, TreeGenerator.Shape.SMALL);
      assertThrows(AccessDeniedException.class, () ->
          ImageWriter.write(ImageLayout.plan(tree, ImageSpec.staticImage()), ro.resolve("img"),
              ImageWriter.Progress.NONE));
      assertNothingLeft(ro);
    } finally {
      Files.setPosixFilePermissions(ro, PosixFilePermissions.fromString("rwxr-xr-x"));
    }
  }

  @Test
  void fileAndMemoryTargetsGetTheSameBytes() throws Exception {
    Node.Directory tree = TreeGenerator.generate(4);
    ImageLayout layout = ImageLayout.plan(tree, ImageSpec.branching(Format.KERNEL_LOG_CAPACITY));
    byte[] memory = new byte[Math.toIntExact(layout.imageSize()) + 100];
    java.util.Arrays.fill(memory, (byte) 0x5a);   // stale contents: the writer must zero its range
    ImageWriter.write(layout, java.lang.foreign.MemorySegment.ofArray(memory), ImageWriter.Progress.NONE);
    Path file = write(tree, ImageSpec.branching(Format.KERNEL_LOG_CAPACITY), "img");
    assertArrayEquals(Files.readAllBytes(file), java.util.Arrays.copyOf(memory, Math.toIntExact(layout.imageSize())));
  }
}
