package dev.daxfs.format;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Image files: deterministic and sparse. That a failed write leaves nothing is native-memory's
 * OutputFileTest, since the tools write through an OutputFile.
 */
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
