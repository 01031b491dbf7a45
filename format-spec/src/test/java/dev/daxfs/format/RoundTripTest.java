package dev.daxfs.format;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.foreign.MemorySegment;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Generated trees written by ImageWriter and read back through the reader are the same trees. */
class RoundTripTest {
  private static final int SEEDS = 150;

  static Image writeToMemory(Node.Directory tree, ImageSpec spec) throws Exception {
    ImageLayout layout = ImageLayout.plan(tree, spec);
    MemorySegment memory = MemorySegment.ofArray(new byte[Math.toIntExact(layout.imageSize())]);
    ImageWriter.write(layout, memory, ImageWriter.Progress.NONE);
    return Image.open(new ImageBytes(memory));
  }

  @ParameterizedTest
  @ValueSource(booleans = {false, true})
  void generatedTreesReadBackEqual(boolean branching) throws Exception {
    ImageSpec spec = branching ? ImageSpec.branching(Format.KERNEL_LOG_CAPACITY) : ImageSpec.staticImage();
    java.util.Set<String> seen = new java.util.TreeSet<>();
    for (long seed = 0; seed < SEEDS; seed++) {
      Node.Directory tree = TreeGenerator.generate(seed, seed % 3 == 0 ? TreeGenerator.Shape.MEDIUM
          : TreeGenerator.Shape.SMALL);
      Image image = writeToMemory(tree, spec);
      assertEquals(TreeReader.listing(tree), TreeReader.listing(TreeReader.read(image)), "seed " + seed);
      checkLayoutRules(image, seed);
      features(tree, seen);
    }
    // The seeds really cover what the round trip is meant to prove.
    assertEquals(new java.util.TreeSet<>(List.of("128-byte name", "UTF-8 name", "empty file", "4096 multiple",
        "symlink", "longest target", "empty dir", "hard link", "nested dir")), seen);
  }

  private static void features(Node.Directory root, java.util.Set<String> seen) {
    java.util.Set<Content> contents = new java.util.HashSet<>();
    java.util.ArrayDeque<Node> stack = new java.util.ArrayDeque<>(root.children());
    while (!stack.isEmpty()) {
      Node n = stack.pop();
      if (n.name().length == Format.NAME_MAX) {
        seen.add("128-byte name");
      }
      if (new String(n.name(), java.nio.charset.StandardCharsets.UTF_8).length() < n.name().length) {
        seen.add("UTF-8 name");
      }
      switch (n) {
        case Node.Directory d -> {
          seen.add(d.children().isEmpty() ? "empty dir" : "nested dir");
          stack.addAll(d.children());
        }
        case Node.File f -> {
          if (f.size() == 0) {
            seen.add("empty file");
          } else if (f.size() % Format.BLOCK_SIZE == 0) {
            seen.add("4096 multiple");
          }
          if (f.size() > 0 && !contents.add(f.content())) {
            seen.add("hard link");
          }
        }
        case Node.Symlink s -> seen.add(s.target().length == Format.BLOCK_SIZE - 1 ? "longest target" : "symlink");
      }
    }
  }

  /** What the format sheet's reference layout says about any image we write. */
  private static void checkLayoutRules(Image image, long seed) {
    Superblock sb = image.superblock();
    BaseImage base = image.base();
    BaseSuperblock bsb = base.superblock();
    assertEquals(bsb.inodeCountUnsigned() + 1, sb.nextInodeId(), "seed " + seed);
    assertEquals(bsb.totalSize(), sb.baseSize(), "seed " + seed);
    long dataStart = Format.alignUp(Format.BLOCK_SIZE + bsb.inodeCountUnsigned() * Format.INODE_SIZE);
    assertEquals(dataStart, bsb.dataOffset(), "seed " + seed);
    long end = dataStart;
    for (long ino = 1; ino <= base.inodeCount(); ino++) {
      Inode n = base.inode(ino);
      assertEquals(ino, n.ino(), "seed " + seed);
      if (n.isDirectory() && n.size() == 0) {
        assertEquals(0, n.dataOffset(), "empty directory " + ino + ", seed " + seed);
        continue;
      }
      assertEquals(0, n.dataOffset() % Format.BLOCK_SIZE, "inode " + ino + ", seed " + seed);
      long extent = n.isSymlink() ? n.size() + 1 : n.size();
      end = Math.max(end, n.dataOffset() + Format.alignUp(extent));
    }
    assertEquals(end, bsb.totalSize(), "seed " + seed);
  }

  @Test
  void rawByteNamesAndTheirOrder(@TempDir Path dir) throws Exception {
    // Linux names are bytes: a name that is not UTF-8 survives, and order is by unsigned bytes.
    byte[] latin1 = {(byte) 0xe9, 't', 'e'};
    byte[] high = {(byte) 0xff};
    Node.Directory tree = new Node.Directory(new byte[0], 0755, 0, 0, List.of(
        new Node.File(high, 0600, 0, 0, 1, Content.of(new byte[] {7})),
        new Node.File(latin1, 0644, 0, 0, 0, Content.of(new byte[0])),
        new Node.File(Node.name("z"), 0644, 0, 0, 0, Content.of(new byte[0]))));
    Path out = dir.resolve("img");
    ImageWriter.write(ImageLayout.plan(tree, ImageSpec.staticImage()), out, ImageWriter.Progress.NONE);
    try (ImageFile f = ImageFile.open(out)) {
      BaseImage base = f.image().base();
      DirentArray d = base.dirents(base.inode(1));
      assertEquals("z", d.get(0).nameString());
      assertTrue(java.util.Arrays.equals(latin1, d.get(1).name()));
      assertTrue(java.util.Arrays.equals(high, d.get(2).name()));
      assertEquals(TreeReader.listing(tree), TreeReader.listing(TreeReader.read(f.image())));
    }
  }

  @Test
  void hardLinksShareOneExtent() throws Exception {
    byte[] data = new byte[5000];
    Content shared = Content.of(data);
    Node.Directory tree = new Node.Directory(new byte[0], 0755, 0, 0, List.of(
        new Node.File(Node.name("a"), 0644, 0, 0, data.length, shared),
        new Node.File(Node.name("b"), 0644, 0, 0, data.length, shared)));
    Image image = writeToMemory(tree, ImageSpec.staticImage());
    BaseImage base = image.base();
    assertEquals(base.inode(2).dataOffset(), base.inode(3).dataOffset());
    // root dirents (one block), then the 5000 bytes once (two blocks)
    assertEquals(base.superblock().dataOffset() + 3L * Format.BLOCK_SIZE, base.superblock().totalSize());
  }

  @Test
  void deepTreePlansAndReadsWithoutRecursion() throws Exception {
    Node.Directory tree = TreeGenerator.deepChain(20_000);
    Image image = writeToMemory(tree, ImageSpec.staticImage());
    assertEquals(20_001, image.base().inodeCount());
    assertEquals(TreeReader.listing(tree), TreeReader.listing(TreeReader.read(image)));
  }
}
