package dev.daxfs.format;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import org.junit.jupiter.api.Test;

/** Planning stays linear in the number of nodes however deep the tree is. */
class DeepTreeTest {
  private static final int DEPTH = 1_000_000;

  private static Node.Directory chain(int depth, Node leaf) {
    Node.Directory d = new Node.Directory(Node.name("d"), 0755, 0, 0, List.of(leaf));
    for (int i = 1; i < depth; i++) {
      d = new Node.Directory(Node.name("d"), 0755, 0, 0, List.of(d));
    }
    return new Node.Directory(new byte[0], 0755, 0, 0, List.of(d));
  }

  @Test
  void millionDeepChainIsPlanned() {
    Node leaf = new Node.File(Node.name("f"), 0644, 0, 0, 0, null);
    ImageLayout layout = ImageLayout.plan(chain(DEPTH, leaf), ImageSpec.staticImage());
    assertEquals(DEPTH + 2, layout.inodeCount());
    // Inode numbers follow the chain: the leaf is the last one, child of the deepest directory.
    assertEquals(DEPTH + 2, layout.children(DEPTH + 1)[0]);
  }

  @Test
  void errorAtDepthNamesTheWholePath() {
    Node bad = new Node.Symlink(Node.name("link"), 0777, 0, 0, new byte[0]);
    TreeException e = assertThrows(TreeException.class,
        () -> ImageLayout.plan(chain(3, bad), ImageSpec.staticImage()));
    assertEquals("/d/d/d/link", e.path());
  }
}
