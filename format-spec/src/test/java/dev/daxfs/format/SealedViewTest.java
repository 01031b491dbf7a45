package dev.daxfs.format;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

/**
 * A sealed view (what a mount reads: base nodes read again when needed, kept only in bounded
 * caches) shows what the view that keeps everything shows, on hostile dirents too, and keeps a
 * bounded number of nodes however much of the image is read.
 */
class SealedViewTest {
  private static final int DIRENT_NAME = (int) Structs.offset(Structs.DIRENT, "name");

  /** / (1), /d (2) holding files "a".."h" (3..10) of one byte each, their names as contents. */
  private static Node.Directory tree() {
    List<Node> files = new ArrayList<>();
    for (char c = 'a'; c <= 'h'; c++) {
      files.add(new Node.File(Node.name(String.valueOf(c)), 0644, 0, 0, 1, Content.of(new byte[] {(byte) c})));
    }
    return new Node.Directory(new byte[0], 0755, 0, 0, List.of(new Node.Directory(Node.name("d"), 0755, 0, 0, files)));
  }

  @Test
  void unsortedRepeatedAndBadDirentsReadAsTheKeptViewReadsThem() throws Exception {
    byte[] bytes = new KernelBranches(tree(), 1 << 20).bytes();
    Image clean = Image.open(ImageBytes.of(bytes));
    long at = clean.base().dirents(clean.base().inode(2)).at();
    // Reverse the dirents ("h".."a"), then: the 2nd ("g") renamed "b" (a repeat of a later dirent),
    // the 4th ("e") named "x/y", the 6th ("c") given inode 999.
    byte[] bad = bytes.clone();
    for (int i = 0; i < 8; i++) {
      System.arraycopy(bytes, (int) at + (7 - i) * Format.DIRENT_SIZE, bad, (int) at + i * Format.DIRENT_SIZE,
          Format.DIRENT_SIZE);
    }
    bad[(int) at + Format.DIRENT_SIZE + DIRENT_NAME] = 'b';
    int e = (int) at + 3 * Format.DIRENT_SIZE;
    bad[e + 8] = 3;
    bad[e + DIRENT_NAME + 1] = '/';
    bad[e + DIRENT_NAME + 2] = 'y';
    bad[(int) at + 5 * Format.DIRENT_SIZE] = (byte) 0xe7;
    bad[(int) at + 5 * Format.DIRENT_SIZE + 1] = 3;
    Image image = Image.open(ImageBytes.of(bad));

    List<ReplayProblem> keptProblems = new ArrayList<>();
    BranchView kept = Replay.base(image, keptProblems::add);
    List<ReplayProblem> sealedProblems = new ArrayList<>();
    BranchView sealed = Replay.base(image, sealedProblems::add);
    sealed.seal();

    ViewNode d = sealed.lookup("/d").orElseThrow();
    // "b" is the 2nd dirent (inode 9, which held "g"); the 7th, the real "b" (inode 4), is a repeat.
    assertEquals(List.of("a 3", "b 9", "d 6", "f 8", "h 10"), names(sealed, d));
    assertEquals(names(kept, kept.lookup("/d").orElseThrow()), names(sealed, d));
    for (String name : List.of("a", "b", "d", "f", "h")) {
      assertEquals(kept.lookup("/d/" + name).orElseThrow().ino(), sealed.lookup("/d/" + name).orElseThrow().ino());
    }
    for (String name : List.of("c", "e", "g", "x/y", "i", "")) {
      assertTrue(sealed.child(d, Node.name(name.isEmpty() ? "." : name)).isEmpty(), name);
    }
    assertEquals(3, problemLines(kept, keptProblems).size(), keptProblems::toString);
    assertEquals(problemLines(kept, keptProblems), problemLines(sealed, sealedProblems));
    // The listing that left dirents out is kept: reading it again reports nothing twice.
    for (int i = 0; i < 3; i++) {
      sealed.entries(d);
      sealed.nlink(d);
    }
    assertEquals(3, sealedProblems.size(), sealedProblems::toString);
  }

  @Test
  void aSealedViewKeepsBoundedNodesAndNamesEachOneByItsHandle() throws Exception {
    List<Node> dirs = new ArrayList<>();
    for (int i = 0; i < 30; i++) {
      List<Node> files = new ArrayList<>();
      for (int j = 0; j < 1000; j++) {
        files.add(new Node.File(Node.name("f" + j), 0600 | (j % 8), i, j, 1, Content.of(new byte[] {(byte) j})));
      }
      dirs.add(new Node.Directory(Node.name("dir" + i), 0755, 0, 0, files));
    }
    byte[] bytes = new KernelBranches(new Node.Directory(new byte[0], 0755, 0, 0, dirs), 1 << 20).bytes();
    BranchView view = Replay.base(Image.open(ImageBytes.of(bytes)), p -> {
      throw new AssertionError(p.toString());
    });
    view.seal();
    List<Long> handles = new ArrayList<>();
    int files = 0;
    for (ViewEntry dir : view.entries(view.root())) {
      assertEquals(2, view.nlink(dir.node()));
      for (long from = 0; ; from += 100) {
        List<ViewEntry> piece = view.entries(dir.node(), from, 100);
        if (piece.isEmpty()) {
          break;
        }
        for (ViewEntry f : piece) {
          assertEquals(f.node().ino(), view.child(dir.node(), f.name()).orElseThrow().ino());
          handles.add(view.handle(f.node()));
          files++;
        }
      }
      assertTrue(view.cachedNodes() <= 16384 + 1, "nodes kept: " + view.cachedNodes());
    }
    assertEquals(30_000, files);
    // Nodes read long ago were let go; their handles give equal ones, read again.
    for (long h : handles.subList(0, 50)) {
      ViewNode n = view.node(h).orElseThrow();
      assertEquals(h, n.ino());
      assertEquals(1, n.size());
      assertArrayEquals(new byte[] {(byte) n.gid()}, view.open(n).readAllBytes(), "inode " + h);
    }
    assertTrue(view.node(1L << 40).isEmpty());
    assertTrue(view.node(0).isEmpty());
  }

  private static List<String> names(BranchView v, ViewNode dir) {
    return v.entries(dir).stream().map(e -> e.nameString() + " " + e.node().ino()).toList();
  }

  private static TreeSet<String> problemLines(BranchView v, List<ReplayProblem> problems) {
    v.walk(v.root(), "/", (path, n) -> v.nlink(n));
    TreeSet<String> out = new TreeSet<>();
    problems.forEach(p -> out.add(p.at() + " " + p.ino() + " " + p.message()));
    return out;
  }
}
