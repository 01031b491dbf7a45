package dev.daxfs.fuse;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.daxfs.format.Content;
import dev.daxfs.format.ImageFile;
import dev.daxfs.format.ImageLayout;
import dev.daxfs.format.ImageSpec;
import dev.daxfs.format.ImageWriter;
import dev.daxfs.format.Node;
import dev.daxfs.format.Replay;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A tree with more nodes than the mount keeps (it reads base nodes again when needed) and a
 * directory longer than many readdir replies: every name, stat field and byte still comes back.
 */
class LargeTreeMountTest {
  @TempDir Path dir;

  @Test void moreNodesThanTheMountKeepsAllReadBack() throws Exception {
    Mount.requireFuse();
    List<Node> flat = new ArrayList<>();
    for (int i = 0; i < 20_000; i++) {
      byte[] data = {(byte) i, (byte) (i >> 8)};
      flat.add(new Node.File(Node.name(String.format("file-%05d", i)), 0640 | (i & 7), i % 7, i % 11, 2, Content.of(data)));
    }
    List<Node> nested = new ArrayList<>();
    for (int i = 0; i < 40; i++) {
      nested.add(new Node.Directory(Node.name("sub" + i), 0750, i, i, List.of(
          new Node.Symlink(Node.name("up"), 0777, 0, 0, Node.name("../../flat/file-00001")),
          new Node.Directory(Node.name("empty"), 0700, 0, 0, List.of()))));
    }
    Path image = dir.resolve("large.daxfs");
    ImageWriter.write(ImageLayout.plan(new Node.Directory(new byte[0], 0755, 0, 0, List.of(
        new Node.Directory(Node.name("flat"), 0755, 0, 0, flat),
        new Node.Directory(Node.name("nested"), 0755, 0, 0, nested))), ImageSpec.staticImage()),
        image, ImageWriter.Progress.NONE);
    Path mnt = Files.createDirectory(dir.resolve("mnt"));
    try (Mount m = Mount.start(mnt, image.toString(), mnt.toString())) {
      assertTrue(m.mounted(), m.output());
      Map<String, Snapshot.Entry> mounted = Snapshot.of(mnt);
      // Twice: the second walk finds nodes the mount has let go of (the kernel still caches some).
      Map<String, Snapshot.Entry> again = Snapshot.of(mnt);
      try (ImageFile f = ImageFile.open(image)) {
        Map<String, Snapshot.Entry> expected = Snapshot.of(Replay.base(f.image(), p -> { }));
        assertEquals(20_000 + 40 * 3 + 3, expected.size());
        assertEquals("", Snapshot.diff(expected, mounted));
        assertEquals("", Snapshot.diff(expected, again));
      }
      // ".." of a directory is the inode of the one holding it, as getdents gives it.
      Process ls = new ProcessBuilder("ls", "-ai", mnt.resolve("nested/sub7").toString()).start();
      String listing = new String(ls.getInputStream().readAllBytes());
      assertEquals(0, ls.waitFor());
      assertTrue(listing.contains(Files.getAttribute(mnt.resolve("nested"), "unix:ino") + " .."), listing);
      assertTrue(listing.contains(Files.getAttribute(mnt.resolve("nested/sub7"), "unix:ino") + " ."), listing);
      assertEquals("file-00001", Files.readSymbolicLink(mnt.resolve("nested/sub7/up")).getFileName().toString());
      assertEquals(2, Files.readAllBytes(mnt.resolve("nested/sub39/up")).length);
      m.unmount();
    }
  }
}
