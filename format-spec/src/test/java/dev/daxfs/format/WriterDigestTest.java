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

  /**
   * Enough small files to fill several of the writer's batches (4096 writes or 256 KiB each), with
   * files streamed from disk between them: the hashing order must stay the order of the writes.
   */
  @Test
  void manySmallWritesAroundStreamedFiles() throws Exception {
    java.util.Random random = new java.util.Random(11);
    byte[] streamed = new byte[(1 << 20) + 4097];
    random.nextBytes(streamed);
    Path big = dir.resolve("big");
    java.nio.file.Files.write(big, streamed);
    List<Node> kids = new java.util.ArrayList<>();
    for (int i = 0; i < 9000; i++) {
      byte[] data = new byte[random.nextInt(200)];
      random.nextBytes(data);
      kids.add(new Node.File(Node.name(String.format("f%05d", i)), 0644, 0, 0, data.length, Content.of(data)));
      if (i % 3000 == 1500) {
        kids.add(new Node.File(Node.name(String.format("f%05dbig", i)), 0644, 0, 0, streamed.length, Content.of(big)));
      }
    }
    check(new Node.Directory(new byte[0], 0755, 0, 0, kids), ImageSpec.staticImage());
  }
}
