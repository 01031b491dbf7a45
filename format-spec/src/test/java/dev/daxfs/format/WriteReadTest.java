package dev.daxfs.format;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class WriteReadTest {
  @TempDir Path dir;

  @Test
  void smallTreeReadsBack() throws Exception {
    byte[] hello = "hello\n".getBytes();
    Node.Directory root = new Node.Directory(new byte[0], 0755, 0, 0, List.of(
        new Node.File(Node.name("b"), 0644, 1, 2, hello.length, Content.of(hello)),
        new Node.Symlink(Node.name("a"), 0777, 0, 0, Node.name("b"))));
    Path out = dir.resolve("img");
    ImageWriter.write(ImageLayout.plan(root, ImageSpec.staticImage()), out, ImageWriter.Progress.NONE);
    try (ImageFile f = ImageFile.open(out)) {
      BaseImage base = f.image().base();
      assertEquals(3, base.inodeCount());
      DirentArray d = base.dirents(base.inode(1));
      assertEquals(2, d.count());
      assertEquals("a", d.get(0).nameString());
      Inode b = base.inode(d.get(1).ino());
      assertArrayEquals(hello, base.data(b).toArray(java.lang.foreign.ValueLayout.JAVA_BYTE));
      assertArrayEquals(Node.name("b"), base.symlinkTarget(base.inode(d.get(0).ino())));
    }
    assertEquals(List.of(out), Files.list(dir).toList());
  }
}
