package dev.daxfs.format;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;

/**
 * Seeded random trees for tests: varied depth, width and file sizes, names of 1..128 bytes
 * (ASCII, multi-byte UTF-8, exactly 128 bytes), empty files, sizes at and around multiples of
 * 4096, symlinks (up to the 4095-byte maximum target), empty directories and files sharing one
 * content (hard links). Names are valid UTF-8 without '/' or NUL, so every tree can also be
 * created on disk. One seed always gives the same tree.
 */
public final class TreeGenerator {
  /** Bounds of a generated tree. */
  public record Shape(int maxDepth, int maxWidth, int maxNodes, int maxFileSize) {
    public static final Shape SMALL = new Shape(3, 4, 20, 9000);
    public static final Shape MEDIUM = new Shape(6, 8, 200, 20000);
  }

  private static final String[] UTF8_PIECES = {"é", "ß", "日本", "語", "ü", "Ω", "€", "🙂", "ñ", "ø"};
  private static final int[] EDGE_SIZES = {0, 1, 4095, 4096, 4097, 8191, 8192};
  private static final int[] UIDS = {0, 1, 1000, 65534, 0x7fffffff, 0xfffffffe};

  private final Random random;
  private final Shape shape;
  private int nodes;
  private final List<Node.File> files = new ArrayList<>();

  private TreeGenerator(long seed, Shape shape) {
    this.random = new Random(seed);
    this.shape = shape;
  }

  /** A MEDIUM tree for {@code seed}. */
  public static Node.Directory generate(long seed) {
    return generate(seed, Shape.MEDIUM);
  }

  public static Node.Directory generate(long seed, Shape shape) {
    TreeGenerator g = new TreeGenerator(seed, shape);
    g.nodes = 1;
    return new Node.Directory(new byte[0], 0755, 0, 0, g.children(1));
  }

  /**
   * A chain of {@code depth} nested directories named "d" with one empty file at the bottom,
   * built without recursion (for deep-tree tests).
   */
  public static Node.Directory deepChain(int depth) {
    Node inner = new Node.File(Node.name("leaf"), 0644, 0, 0, 0, Content.of(new byte[0]));
    for (int i = 0; i < depth; i++) {
      inner = new Node.Directory(i == depth - 1 ? new byte[0] : Node.name("d"), 0755, 0, 0, List.of(inner));
    }
    return (Node.Directory) inner;
  }

  private List<Node> children(int depth) {
    int width = random.nextInt(shape.maxWidth() + 1);
    Set<String> names = new HashSet<>();
    List<Node> out = new ArrayList<>();
    for (int i = 0; i < width && nodes < shape.maxNodes(); i++) {
      String name = name();
      if (!names.add(name)) {
        continue;
      }
      nodes++;
      byte[] n = name.getBytes(StandardCharsets.UTF_8);
      int kind = random.nextInt(10);
      if (kind < 3 && depth < shape.maxDepth()) {
        out.add(new Node.Directory(n, random.nextBoolean() ? 0755 : random.nextInt(01000), uid(), uid(),
            random.nextInt(5) == 0 ? List.of() : children(depth + 1)));
      } else if (kind < 5) {
        out.add(new Node.Symlink(n, 0777, uid(), uid(), target()));
      } else {
        out.add(file(n));
      }
    }
    return out;
  }

  private Node.File file(byte[] name) {
    int mode = random.nextInt(07777 + 1);
    if (!files.isEmpty() && random.nextInt(12) == 0) {
      // A hard link: the same content object, so the layout shares one extent.
      Node.File other = files.get(random.nextInt(files.size()));
      return new Node.File(name, other.mode(), other.uid(), other.gid(), other.size(), other.content());
    }
    int size = random.nextInt(3) == 0 ? EDGE_SIZES[random.nextInt(EDGE_SIZES.length)]
        : random.nextInt(shape.maxFileSize() + 1);
    byte[] data = new byte[size];
    random.nextBytes(data);
    Node.File f = new Node.File(name, mode, uid(), uid(), size, Content.of(data));
    files.add(f);
    return f;
  }

  private int uid() {
    return random.nextInt(3) == 0 ? UIDS[random.nextInt(UIDS.length)] : random.nextInt(2000);
  }

  private byte[] target() {
    int len = switch (random.nextInt(8)) {
      case 0 -> Format.BLOCK_SIZE - 1;
      case 1 -> 1;
      default -> 1 + random.nextInt(120);
    };
    byte[] t = new byte[len];
    for (int i = 0; i < len; i++) {
      t[i] = (byte) (random.nextInt(8) == 0 ? '/' : 'a' + random.nextInt(26));
    }
    return t;
  }

  /** A name of 1..128 UTF-8 bytes; sometimes exactly 128, sometimes with multi-byte characters. */
  private String name() {
    int limit = switch (random.nextInt(8)) {
      case 0 -> Format.NAME_MAX;
      case 1 -> 1 + random.nextInt(Format.NAME_MAX);
      default -> 1 + random.nextInt(12);
    };
    boolean exact = random.nextInt(8) == 0;
    StringBuilder b = new StringBuilder();
    int bytes = 0;
    while (bytes < limit) {
      String piece = random.nextInt(4) == 0 ? UTF8_PIECES[random.nextInt(UTF8_PIECES.length)]
          : String.valueOf((char) ("abcdefghijklmnopqrstuvwxyz0123456789._- ".charAt(random.nextInt(40))));
      int len = piece.getBytes(StandardCharsets.UTF_8).length;
      if (bytes + len > limit) {
        if (!exact) {
          break;
        }
        piece = "x";
        len = 1;
      }
      b.append(piece);
      bytes += len;
      if (!exact && random.nextInt(6) == 0) {
        break;
      }
    }
    String s = b.isEmpty() ? "x" : b.toString();
    return s.equals(".") || s.equals("..") ? s + "x" : s;
  }
}
