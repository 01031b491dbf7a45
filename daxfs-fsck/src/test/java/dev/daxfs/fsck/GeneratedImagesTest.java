package dev.daxfs.fsck;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.daxfs.format.Content;
import dev.daxfs.format.Format;
import dev.daxfs.format.ImageBytes;
import dev.daxfs.format.ImageLayout;
import dev.daxfs.format.ImageSpec;
import dev.daxfs.format.ImageWriter;
import dev.daxfs.format.Node;
import java.io.IOException;
import java.lang.foreign.MemorySegment;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Every image the codec lays out from a valid tree is accepted with no problem at all: random
 * trees (odd names, empty and shared files, long symlinks, deep and wide directories), static and
 * branching, free and fixed size.
 */
class GeneratedImagesTest {

  @ParameterizedTest @ValueSource(longs = {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16})
  void acceptedWithoutProblems(long seed) throws IOException {
    Random rnd = new Random(seed);
    Node.Directory root = tree(rnd);
    ImageSpec spec = switch ((int) (seed % 4)) {
      case 0 -> ImageSpec.staticImage();
      case 1 -> ImageSpec.branching(Format.KERNEL_LOG_CAPACITY);
      case 2 -> ImageSpec.branching(1 << 20);
      default -> ImageSpec.staticImage().withFixedSize(8L << 20);
    };
    ImageLayout layout = ImageLayout.plan(root, spec);
    byte[] image = new byte[Math.toIntExact(layout.imageSize())];
    ImageWriter.write(layout, MemorySegment.ofArray(image), ImageWriter.Progress.NONE);
    Report r = Validator.check(ImageBytes.of(image), Options.of(image.length));
    assertEquals(0, r.total(), () -> "seed " + seed + ": " + r.problems());
  }

  /** A random tree of up to ~300 nodes, built iteratively. */
  static Node.Directory tree(Random rnd) {
    byte[] shared = bytes(rnd, 1 + rnd.nextInt(9000));
    int depth = 1 + rnd.nextInt(12);
    List<Node> below = List.of();
    for (int d = depth; d >= 1; d--) {
      List<Node> here = new ArrayList<>();
      int n = rnd.nextInt(20);
      List<byte[]> names = new ArrayList<>();
      for (int i = 0; i < n; i++) {
        byte[] name = name(rnd, names);
        names.add(name);
        here.add(switch (rnd.nextInt(5)) {
          case 0 -> new Node.File(name, 0644, rnd.nextInt(2000), rnd.nextInt(2000), 0, Content.of(new byte[0]));
          case 1 -> new Node.File(name, 0600, 0, 0, shared.length, Content.of(shared));
          case 2 -> new Node.Symlink(name, 0777, 0, 0, target(rnd));
          case 3 -> new Node.Directory(name, 0750, 0, 0, List.of());
          default -> {
            byte[] data = bytes(rnd, rnd.nextInt(10000));
            yield new Node.File(name, 0640, 1, 1, data.length, Content.of(data));
          }
        });
      }
      here.add(new Node.Directory(name(rnd, names), 0755, 0, 0, below));
      below = here;
    }
    return new Node.Directory(new byte[0], 0755, 0, 0, below);
  }

  private static byte[] name(Random rnd, List<byte[]> taken) {
    while (true) {
      byte[] n = new byte[1 + rnd.nextInt(rnd.nextInt(10) == 0 ? Format.NAME_MAX : 12)];
      for (int i = 0; i < n.length; i++) {
        // Half plain letters, half any byte but NUL and '/'; '.' and ".." are avoided below.
        int b = rnd.nextBoolean() ? 'a' + rnd.nextInt(26) : 1 + rnd.nextInt(255);
        n[i] = (byte) (b == '/' ? '_' : b);
      }
      boolean dot = (n.length == 1 && n[0] == '.') || (n.length == 2 && n[0] == '.' && n[1] == '.');
      if (!dot && taken.stream().noneMatch(t -> java.util.Arrays.equals(t, n))) {
        return n;
      }
    }
  }

  private static byte[] target(Random rnd) {
    byte[] t = new byte[1 + rnd.nextInt(rnd.nextInt(8) == 0 ? Format.BLOCK_SIZE - 1 : 40)];
    for (int i = 0; i < t.length; i++) {
      t[i] = (byte) (1 + rnd.nextInt(255));
    }
    return t;
  }

  private static byte[] bytes(Random rnd, int n) {
    byte[] b = new byte[n];
    rnd.nextBytes(b);
    return b;
  }
}
