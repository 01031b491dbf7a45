package dev.daxfs.validate;

import static java.lang.foreign.ValueLayout.JAVA_BYTE;
import static java.lang.foreign.ValueLayout.JAVA_INT_UNALIGNED;
import static java.lang.foreign.ValueLayout.JAVA_LONG_UNALIGNED;
import static java.lang.foreign.ValueLayout.JAVA_SHORT_UNALIGNED;

import dev.daxfs.format.BranchRecord;
import dev.daxfs.format.Content;
import dev.daxfs.format.Format;
import dev.daxfs.format.ImageBytes;
import dev.daxfs.format.ImageLayout;
import dev.daxfs.format.ImageSpec;
import dev.daxfs.format.ImageWriter;
import dev.daxfs.format.Node;
import dev.daxfs.format.Structs;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.foreign.MemoryLayout.PathElement;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.StructLayout;
import java.util.List;

/**
 * A small valid image in a byte array, and field-level patches to break it. Offsets come from the
 * codec's layouts (Structs), never from numbers written here.
 *
 * <p>The tree, numbered as the layout numbers it (pre-order, names sorted): 1 "/", 2 "/a.txt"
 * (5000 bytes), 3 "/empty", 4 "/link" -> "a.txt", 5 "/sub", 6 "/sub/leaf" (10 bytes).
 */
public final class Fixture {
  public static final int ROOT = 1;
  public static final int FILE = 2;
  public static final int EMPTY = 3;
  public static final int LINK = 4;
  public static final int SUB = 5;
  public static final int LEAF = 6;
  public static final int COUNT = 6;

  final ImageLayout layout;
  final MemorySegment s;

  private Fixture(ImageLayout layout, MemorySegment s) {
    this.layout = layout;
    this.s = s;
  }

  /** The codec's image of {@code layout}, written into {@code s}. */
  private static Fixture written(ImageLayout layout, MemorySegment s) {
    try {
      ImageWriter.write(layout, s, ImageWriter.Progress.NONE);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return new Fixture(layout, s);
  }

  /** The codec's image of any tree, in a byte array. */
  public static Fixture of(Node.Directory tree, ImageSpec spec) {
    ImageLayout layout = ImageLayout.plan(tree, spec);
    return written(layout, MemorySegment.ofArray(new byte[Math.toIntExact(layout.imageSize())]));
  }

  public static Node.Directory tree() {
    byte[] big = new byte[5000];
    for (int i = 0; i < big.length; i++) {
      big[i] = (byte) ('a' + i % 26);
    }
    return new Node.Directory(new byte[0], 0755, 0, 0, List.of(
        new Node.File(Node.name("a.txt"), 0644, 1000, 1000, big.length, Content.of(big)),
        new Node.Directory(Node.name("empty"), 0755, 0, 0, List.of()),
        new Node.Symlink(Node.name("link"), 0777, 0, 0, Node.name("a.txt")),
        new Node.Directory(Node.name("sub"), 0700, 0, 0, List.of(
            new Node.File(Node.name("leaf"), 0600, 0, 0, 10, Content.of("0123456789".getBytes()))))));
  }

  public static Fixture staticImage() {
    return of(tree(), ImageSpec.staticImage());
  }

  /** A branching image with a 256 KiB delta region and an empty branch table. */
  public static Fixture branching() {
    return of(tree(), ImageSpec.branching(256 * 1024));
  }

  /** A branching image with a {@code deltaSize}-byte delta region, in memory of {@code arena}. */
  public static Fixture branching(long deltaSize, java.lang.foreign.Arena arena) {
    ImageLayout layout = ImageLayout.plan(tree(), ImageSpec.branching(deltaSize));
    return written(layout, arena.allocate(layout.imageSize(), Format.BLOCK_SIZE));
  }

  public long length() { return s.byteSize(); }

  /**
   * A copy with {@code extra} zero bytes appended and total_size following, for regions placed
   * past the codec's layout (the layout's offsets still name where the codec put things).
   */
  public Fixture grown(long extra) {
    MemorySegment t = MemorySegment.ofArray(new byte[Math.toIntExact(length() + extra)]);
    MemorySegment.copy(s, 0, t, 0, length());
    return new Fixture(layout, t).superblock("total_size", length() + extra);
  }

  public byte[] bytes() { return s.toArray(JAVA_BYTE); }

  public Report check() {
    return check(Options.of(length()));
  }

  public Report check(Options options) {
    return Validator.check(new ImageBytes(s), options);
  }

  // ---- where things are (absolute offsets)

  public long base() { return layout.superblock().baseOffset(); }

  public long inode(int ino) {
    return base() + layout.baseSuperblock().inodeOffset() + (long) (ino - 1) * Format.INODE_SIZE;
  }

  public long data(int ino) { return base() + layout.dataOffset(ino); }

  /** The dirent of {@code child} in its parent {@code dir}. */
  public long dirent(int dir, int child) {
    int[] kids = layout.children(dir);
    for (int i = 0; i < kids.length; i++) {
      if (kids[i] == child) {
        return data(dir) + (long) i * Format.DIRENT_SIZE;
      }
    }
    throw new IllegalArgumentException(child + " is not in " + dir);
  }

  public long deltaRegion() { return layout.superblock().deltaRegionOffset(); }

  public long record(int slot) {
    return layout.superblock().branchTableOffset() + (long) slot * Format.BRANCH_RECORD_SIZE;
  }

  public static long at(StructLayout layout, String field) { return Structs.offset(layout, field); }

  // ---- patches

  /** Sets a named field of the structure of type {@code layout} at {@code structAt}. */
  public Fixture set(StructLayout layout, long structAt, String field, long value) {
    long at = structAt + Structs.offset(layout, field);
    long size = layout.select(PathElement.groupElement(field)).byteSize();
    switch ((int) size) {
      case 1 -> s.set(JAVA_BYTE, at, (byte) value);
      case 2 -> s.set(JAVA_SHORT_UNALIGNED, at, (short) value);
      case 4 -> s.set(JAVA_INT_UNALIGNED, at, (int) value);
      case 8 -> s.set(JAVA_LONG_UNALIGNED, at, value);
      default -> throw new IllegalArgumentException(field + " is " + size + " bytes");
    }
    return this;
  }

  public long get(StructLayout layout, long structAt, String field) {
    long at = structAt + Structs.offset(layout, field);
    return switch ((int) layout.select(PathElement.groupElement(field)).byteSize()) {
      case 2 -> s.get(JAVA_SHORT_UNALIGNED, at) & 0xffff;
      case 4 -> s.get(JAVA_INT_UNALIGNED, at) & 0xffffffffL;
      case 8 -> s.get(JAVA_LONG_UNALIGNED, at);
      default -> throw new IllegalArgumentException(field);
    };
  }

  public Fixture superblock(String field, long value) { return set(Structs.SUPERBLOCK, 0, field, value); }

  public Fixture baseSuperblock(String field, long value) { return set(Structs.BASE_SUPERBLOCK, base(), field, value); }

  public Fixture inode(int ino, String field, long value) { return set(Structs.INODE, inode(ino), field, value); }

  public Fixture dirent(int dir, int child, String field, long value) {
    return set(Structs.DIRENT, dirent(dir, child), field, value);
  }

  public Fixture putBytes(long at, byte[] b) {
    MemorySegment.copy(MemorySegment.ofArray(b), 0, s, at, b.length);
    return this;
  }

  /**
   * Puts {@code log} as branch {@code slot}'s log, carved as the kernel carves them: 64 KiB per
   * slot from the start of the delta region; delta_alloc_offset and the superblock's counters are
   * moved on so that only what a test breaks is wrong.
   */
  public Fixture branch(int slot, long id, long parent, int state, String name, long nextLocalIno, byte[] log) {
    long logAt = deltaRegion() + (long) slot * Format.KERNEL_LOG_CAPACITY;
    putBytes(logAt, log);
    BranchRecord r = new BranchRecord(slot, record(slot), id, parent, logAt, log.length, Format.KERNEL_LOG_CAPACITY,
        state, 1, nextLocalIno, BranchRecord.nameField(name));
    putBytes(record(slot), r.encode());
    long alloc = get(Structs.SUPERBLOCK, 0, "delta_alloc_offset");
    superblock("delta_alloc_offset", Math.max(alloc, logAt + Format.KERNEL_LOG_CAPACITY));
    if (Long.compareUnsigned(get(Structs.SUPERBLOCK, 0, "next_branch_id"), id) <= 0) {
      superblock("next_branch_id", id + 1);
    }
    if (state == Format.BRANCH_ACTIVE) {
      superblock("active_branches", get(Structs.SUPERBLOCK, 0, "active_branches") + 1);
    }
    return this;
  }

  /**
   * Gives the empty directory one dirent, placed in the unused padding after /sub's dirents, so a
   * test can add a name without disturbing any other structure.
   */
  public Fixture emptyDirGets(long ino, int mode, String name) {
    long rel = layout.dataOffset(SUB) + Format.DIRENT_SIZE;
    long at = base() + rel;
    byte[] n = Node.name(name);
    set(Structs.DIRENT, at, "ino", ino).set(Structs.DIRENT, at, "mode", mode)
        .set(Structs.DIRENT, at, "name_len", n.length);
    putBytes(at + Structs.offset(Structs.DIRENT, "name"), n);
    return inode(EMPTY, "size", Format.DIRENT_SIZE).inode(EMPTY, "data_offset", rel);
  }

  /** The dirent emptyDirGets placed. */
  public long extraDirent() { return data(SUB) + Format.DIRENT_SIZE; }

  public int mode(int ino) { return layout.inode(ino).mode(); }

  public Fixture branchField(int slot, String field, long value) {
    return set(Structs.BRANCH_RECORD, record(slot), field, value);
  }
}
