package dev.daxfs.format;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A fixed tree whose whole image is built here byte by byte, every offset worked out by hand from
 * the format sheet (no Structs, no layout code), and compared with what ImageWriter writes.
 *
 * <pre>
 * /            0755 0:0          ino 1, children sorted: "a.txt", "dir", "emptydir", "link"
 * /a.txt       0644 1000:1000    ino 2, "hello" (5 bytes)
 * /dir         0700 0:0          ino 3, children "empty", "four"
 * /dir/empty   0600 0:0          ino 4, 0 bytes
 * /dir/four    0644 0:0          ino 5, 4096 bytes (i % 251)
 * /emptydir    0755 0:0          ino 6, no children
 * /link        0777 0:0          ino 7, -> "a.txt"
 * </pre>
 *
 * Base image: superblock at 0; 7 inodes at 4096..4544; data area at align(4544) = 8192.
 * Extents: root dirents 4 x 144 = 576 bytes at 8192; a.txt at 12288; dir's 2 dirents at 16384;
 * dir/empty at 20480 with size 0 (the cursor does not move); dir/four at 20480..24576; emptydir
 * has size 0 and offset 0; link's "a.txt\0" at 24576; base total_size = 28672.
 */
class HandLayoutTest {
  private static final byte[] HELLO = "hello".getBytes(StandardCharsets.US_ASCII);
  private static final byte[] FOUR = new byte[4096];

  static {
    for (int i = 0; i < FOUR.length; i++) {
      FOUR[i] = (byte) (i % 251);
    }
  }

  @TempDir Path dir;

  private static Node.Directory tree() {
    // Children deliberately out of order: the layout sorts them.
    return new Node.Directory(new byte[0], 0755, 0, 0, List.of(
        new Node.Symlink(Node.name("link"), 0777, 0, 0, Node.name("a.txt")),
        new Node.Directory(Node.name("emptydir"), 0755, 0, 0, List.of()),
        new Node.Directory(Node.name("dir"), 0700, 0, 0, List.of(
            new Node.File(Node.name("four"), 0644, 0, 0, FOUR.length, Content.of(FOUR)),
            new Node.File(Node.name("empty"), 0600, 0, 0, 0, Content.of(new byte[0])))),
        new Node.File(Node.name("a.txt"), 0644, 1000, 1000, HELLO.length, Content.of(HELLO))));
  }

  /** The base image (28672 bytes) as the format sheet describes it, written into {@code img} at {@code base}. */
  private static void putBase(ByteBuffer img, int base) {
    // base superblock
    img.putInt(base, 0x64646179).putInt(base + 4, 3).putInt(base + 8, 0).putInt(base + 12, 4096);
    img.putLong(base + 16, 28672).putLong(base + 24, 4096).putInt(base + 32, 7).putInt(base + 36, 1);
    img.putLong(base + 40, 8192);
    // inodes: ino, mode, uid, gid, size, data_offset, nlink (64 bytes each from base + 4096)
    inode(img, base, 1, 040755, 0, 0, 576, 8192, 4);      // root: 2 + dir + emptydir
    inode(img, base, 2, 0100644, 1000, 1000, 5, 12288, 1);
    inode(img, base, 3, 040700, 0, 0, 288, 16384, 2);
    inode(img, base, 4, 0100600, 0, 0, 0, 20480, 1);
    inode(img, base, 5, 0100644, 0, 0, 4096, 20480, 1);
    inode(img, base, 6, 040755, 0, 0, 0, 0, 2);
    inode(img, base, 7, 0120777, 0, 0, 5, 24576, 1);
    // root's dirents
    dirent(img, base + 8192, 2, 0100644, "a.txt");
    dirent(img, base + 8192 + 144, 3, 040700, "dir");
    dirent(img, base + 8192 + 288, 6, 040755, "emptydir");
    dirent(img, base + 8192 + 432, 7, 0120777, "link");
    img.put(base + 12288, HELLO);
    dirent(img, base + 16384, 4, 0100600, "empty");
    dirent(img, base + 16384 + 144, 5, 0100644, "four");
    img.put(base + 20480, FOUR);
    img.put(base + 24576, "a.txt\0".getBytes(StandardCharsets.US_ASCII));
  }

  private static void inode(ByteBuffer img, int base, int ino, int mode, int uid, int gid, long size, long data,
      int nlink) {
    int at = base + 4096 + (ino - 1) * 64;
    img.putInt(at, ino).putInt(at + 4, mode).putInt(at + 8, uid).putInt(at + 12, gid);
    img.putLong(at + 16, size).putLong(at + 24, data).putInt(at + 32, nlink);
  }

  private static void dirent(ByteBuffer img, int at, int ino, int mode, String name) {
    img.putInt(at, ino).putInt(at + 4, mode).putShort(at + 8, (short) name.length());
    img.put(at + 16, name.getBytes(StandardCharsets.US_ASCII));
  }

  private byte[] write(ImageSpec spec) throws Exception {
    Path out = dir.resolve("image");
    ImageWriter.write(ImageLayout.plan(tree(), spec), out, ImageWriter.Progress.NONE);
    return Files.readAllBytes(out);
  }

  @Test
  void staticImage() throws Exception {
    ByteBuffer img = ByteBuffer.allocate(4096 + 28672).order(ByteOrder.LITTLE_ENDIAN);
    img.putInt(0, 0x64617833).putInt(4, 3).putInt(8, 0).putInt(12, 4096);
    img.putLong(16, 32768);   // total_size = 4096 + base
    img.putLong(24, 4096);    // base_offset
    img.putLong(32, 28672);   // base_size
    img.putLong(64, 8);       // next_inode_id = inode_count + 1; branch and delta fields stay 0
    putBase(img, 4096);
    assertArrayEquals(img.array(), write(ImageSpec.staticImage()));
  }

  @Test
  void branchingImage() throws Exception {
    int base = 4096 + 256 * 128;                   // 36864, after the 32768-byte branch table
    int delta = base + 28672;                      // 65536, already on a block boundary
    int deltaSize = 65536;
    ByteBuffer img = ByteBuffer.allocate(delta + deltaSize).order(ByteOrder.LITTLE_ENDIAN);
    img.putInt(0, 0x64617833).putInt(4, 3).putInt(8, 0).putInt(12, 4096);
    img.putLong(16, delta + deltaSize);
    img.putLong(24, base).putLong(32, 28672);
    img.putLong(40, 4096).putInt(48, 256).putInt(52, 0);  // branch table, all 256 records free
    img.putLong(56, 1).putLong(64, 8);                    // next_branch_id, next_inode_id
    img.putLong(72, delta).putLong(80, deltaSize).putLong(88, delta);
    putBase(img, base);
    assertArrayEquals(img.array(), write(ImageSpec.branching(deltaSize)));
  }

  @Test
  void fixedSizeStaticImageIsPadded() throws Exception {
    byte[] image = write(ImageSpec.staticImage().withFixedSize(1 << 20));
    assertEquals(1 << 20, image.length);
    ByteBuffer b = ByteBuffer.wrap(image).order(ByteOrder.LITTLE_ENDIAN);
    assertEquals(1 << 20, b.getLong(16));
    assertEquals(28672, b.getLong(32));
  }

  @Test
  void fixedSizeBranchingImageGivesTheRestToTheDeltaRegion() throws Exception {
    byte[] image = write(ImageSpec.branching(Format.DEFAULT_DELTA_SIZE).withFixedSize(1 << 20));
    ByteBuffer b = ByteBuffer.wrap(image).order(ByteOrder.LITTLE_ENDIAN);
    assertEquals(1 << 20, image.length);
    assertEquals(1 << 20, b.getLong(16));
    assertEquals(65536, b.getLong(72));
    assertEquals((1 << 20) - 65536, b.getLong(80));
  }
}
