package dev.daxfs.format;

import java.lang.foreign.MemorySegment;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.List;

/**
 * A small branching image whose branch table holds an active "main" and a child "feature", each
 * with a non-empty log (together all eight entry types), placed as the kernel places them: 64 KiB
 * logs carved one after the other from the start of the delta region. Also lists the image's
 * metadata ranges (everything but file contents and free space), for byte-mutation tests.
 */
public final class LoggedImage {
  private LoggedImage() {}

  public static final String TREE_NOTE = "/etc/hostname, /etc/motd, /etc/link -> hostname, /data/big (5000 B), /empty";

  public static Node.Directory tree() {
    byte[] big = new byte[5000];
    for (int i = 0; i < big.length; i++) {
      big[i] = (byte) i;
    }
    return new Node.Directory(new byte[0], 0755, 0, 0, List.of(
        new Node.Directory(Node.name("etc"), 0755, 0, 0, List.of(
            new Node.File(Node.name("hostname"), 0644, 0, 0, 11, Content.of("daxfs-host\n".getBytes())),
            new Node.File(Node.name("motd"), 0644, 0, 0, 3, Content.of("hi\n".getBytes())),
            new Node.Symlink(Node.name("link"), 0777, 0, 0, Node.name("hostname")))),
        new Node.Directory(Node.name("data"), 0755, 1000, 1000, List.of(
            new Node.File(Node.name("big"), 0644, 1000, 1000, big.length, Content.of(big)))),
        new Node.Directory(Node.name("empty"), 0755, 0, 0, List.of())));
  }

  /** main's log: as a kernel "main" after some work. Inode numbers continue after the base's 8. */
  public static byte[] mainLog() {
    return new DeltaLogBuilder().timestamp(1_000)
        .create(1, 9, 0100644, Node.name("new.txt"))
        .write(9, 0, "fifteen bytes!\n".getBytes())
        .setattr(9, 0, 1234, 5678, Format.ATTR_UID | Format.ATTR_GID, 0)
        .toByteArray();
  }

  /** feature's log: the other five entry types. */
  public static byte[] featureLog() {
    return new DeltaLogBuilder().timestamp(2_000)
        .mkdir(1, 10, 040755, Node.name("newdir"))
        .symlink(10, 11, Node.name("biglink"), Node.name("../data/big"))
        .rename(7, 10, 8, Node.name("big"), Node.name("big-renamed"))
        .delete(2, 4, Node.name("motd"))
        .truncate(3, 3000)
        .toByteArray();
  }

  /** The image bytes (base, then a 192 KiB delta region with two 64 KiB logs carved). */
  public static byte[] bytes() throws Exception {
    ImageLayout layout = ImageLayout.plan(tree(), ImageSpec.branching(3L * Format.KERNEL_LOG_CAPACITY));
    byte[] image = new byte[Math.toIntExact(layout.imageSize())];
    ImageWriter.write(layout, MemorySegment.ofArray(image), ImageWriter.Progress.NONE);
    Superblock sb = layout.superblock();
    long mainAt = sb.deltaRegionOffset();
    long featureAt = mainAt + Format.KERNEL_LOG_CAPACITY;
    byte[] main = mainLog();
    byte[] feature = featureLog();
    ByteBuffer b = ByteBuffer.wrap(image).order(ByteOrder.LITTLE_ENDIAN);
    b.put((int) mainAt, main).put((int) featureAt, feature);
    b.put((int) sb.branchTableOffset(), new BranchRecord(0, 0, 1, 0, mainAt, main.length, Format.KERNEL_LOG_CAPACITY,
        Format.BRANCH_ACTIVE, 1, 10, BranchRecord.nameField("main")).encode());
    b.put((int) sb.branchTableOffset() + Format.BRANCH_RECORD_SIZE, new BranchRecord(1, 0, 2, 1, featureAt,
        feature.length, Format.KERNEL_LOG_CAPACITY, Format.BRANCH_ACTIVE, 2, 10, BranchRecord.nameField("feature"))
        .encode());
    Superblock mounted = sb.withCounters(2, 3, 12, featureAt + Format.KERNEL_LOG_CAPACITY);
    b.put(0, mounted.encode(), 0, (int) Structs.SUPERBLOCK.byteSize());
    return image;
  }

  /**
   * [offset, length) ranges of every metadata byte of an image we wrote (superblock fields, used
   * branch records, base superblock, inode table, dirent arrays, symlink targets with their NUL,
   * the used part of each log).
   */
  public static List<long[]> metadataRanges(Image image) {
    List<long[]> out = new ArrayList<>();
    out.add(new long[] {0, Structs.SUPERBLOCK.byteSize()});
    for (BranchRecord r : image.branchTable().used()) {
      out.add(new long[] {r.at(), Format.BRANCH_RECORD_SIZE});
      out.add(new long[] {r.logOffset(), r.logSize()});
    }
    BaseImage base = image.base();
    out.add(new long[] {base.start(), Structs.BASE_SUPERBLOCK.byteSize()});
    out.add(new long[] {base.start() + base.superblock().inodeOffset(), base.inodeCount() * Format.INODE_SIZE});
    for (long ino = 1; ino <= base.inodeCount(); ino++) {
      Inode n = base.inode(ino);
      if (n.isDirectory() && n.size() > 0) {
        out.add(new long[] {base.start() + n.dataOffset(), n.size()});
      } else if (n.isSymlink()) {
        out.add(new long[] {base.start() + n.dataOffset(), n.size() + 1});
      }
    }
    return out;
  }
}
