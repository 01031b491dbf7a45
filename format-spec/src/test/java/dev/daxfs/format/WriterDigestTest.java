package dev.daxfs.format;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The digest the writer computes on the way equals the digest recomputed from the written file. */
class WriterDigestTest {
  @TempDir Path dir;

  private void check(Node.Directory tree, ImageSpec spec) throws Exception {
    Path out = dir.resolve("img");
    ImageDigest written = ImageWriter.write(ImageLayout.plan(tree, spec), out, ImageWriter.Progress.NONE);
    try (ImageFile f = ImageFile.open(out)) {
      assertEquals(ImageDigest.of(f.image()), written);
    }
  }

  @Test
  void generatedTreesStaticBranchingAndFixedSize() throws Exception {
    for (long seed = 0; seed < 40; seed++) {
      Node.Directory tree = TreeGenerator.generate(seed);
      check(tree, ImageSpec.staticImage());
      check(tree, ImageSpec.branching(Format.KERNEL_LOG_CAPACITY));
      check(tree, ImageSpec.staticImage().withFixedSize(8L << 20));
    }
  }

  @Test
  void sharedExtentsAndBigFiles() throws Exception {
    Path big = dir.resolve("big");
    byte[] data = new byte[3 * (1 << 20) + 17];
    new java.util.Random(7).nextBytes(data);
    java.nio.file.Files.write(big, data);
    Content shared = Content.of(big);
    Node.Directory tree = new Node.Directory(new byte[0], 0755, 0, 0, List.of(
        new Node.File(Node.name("a"), 0644, 0, 0, data.length, shared),
        new Node.File(Node.name("b"), 0644, 0, 0, data.length, shared),
        new Node.File(Node.name("c"), 0644, 0, 0, 5, Content.of(new byte[] {1, 2, 3, 4, 5}))));
    check(tree, ImageSpec.staticImage());
  }
}
