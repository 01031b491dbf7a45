package dev.daxfs.inspect;

import dev.daxfs.format.Content;
import dev.daxfs.format.Format;
import dev.daxfs.format.ImageLayout;
import dev.daxfs.format.ImageSpec;
import dev.daxfs.format.ImageWriter;
import dev.daxfs.format.KernelBranches;
import dev.daxfs.format.Node;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * The images the command tests read. Base tree (inode numbers in pre-order, names sorted):
 * 1 "/" 0755; 2 "/bin" 0755; 3 "/bin/tool" 0755, 4106 bytes (i % 251); 4 "/hello.txt" 0644
 * 1000:1000 "hello\n"; 5 "/lnk" -> "hello.txt".
 *
 * <p>The branching image, as the kernel would leave it: main (slot 0) created /notes (inode 6)
 * and wrote "abc"; child "work" (slot 1, active) wrote "world\n" at offset 6 of /hello.txt, made
 * /new (inode 7), renamed /lnk to /new/lnk2, deleted /bin/tool, truncated /notes to 1 byte and
 * chmod 600 /hello.txt; next_inode_id is raised to 8, past both new inodes.
 */
final class Fixture {
  private Fixture() {}

  static final byte[] TOOL = tool();

  static byte[] n(String s) { return s.getBytes(StandardCharsets.UTF_8); }

  private static byte[] tool() {
    byte[] b = new byte[4106];
    for (int i = 0; i < b.length; i++) {
      b[i] = (byte) (i % 251);
    }
    return b;
  }

  static Node.Directory tree() {
    return new Node.Directory(new byte[0], 0755, 0, 0, List.of(
        new Node.File(n("hello.txt"), 0644, 1000, 1000, 6, Content.of(n("hello\n"))),
        new Node.Symlink(n("lnk"), 0777, 0, 0, n("hello.txt")),
        new Node.Directory(n("bin"), 0755, 0, 0, List.of(
            new Node.File(n("tool"), 0755, 0, 0, TOOL.length, Content.of(TOOL))))));
  }

  static ImageLayout staticLayout() { return ImageLayout.plan(tree(), ImageSpec.staticImage()); }

  static Path staticImage(Path dir) throws IOException {
    Path p = dir.resolve("static.img");
    ImageWriter.write(staticLayout(), p, ImageWriter.Progress.NONE);
    return p;
  }

  static Path branchingImage(Path dir) throws IOException {
    KernelBranches k = new KernelBranches(tree(), 1 << 20);
    int main = k.mount();
    k.log(main).create(1, 6, Format.S_IFREG | 0644, n("notes")).write(6, 0, n("abc"));
    int work = k.child("work", main);
    k.log(work)
        .write(4, 6, n("world\n"))
        .mkdir(1, 7, Format.S_IFDIR | 0755, n("new"))
        .rename(1, 7, 5, n("lnk"), n("lnk2"))
        .delete(2, 3, n("tool"))
        .truncate(6, 1)
        .setattr(4, Format.S_IFREG | 0600, 0, 0, Format.ATTR_MODE, 0);
    Path p = dir.resolve("branching.img");
    Files.write(p, k.handedOut(7).bytes());
    return p;
  }
}
