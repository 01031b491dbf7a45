package dev.daxfs.format;

import static dev.daxfs.format.Structs.INODE;

import java.lang.foreign.MemorySegment;

/**
 * The read-only base image: its superblock, inode table, directories, file data and symlink
 * targets. Every access stays inside the base region [base_offset, base_offset + base_size) as the
 * image superblock declares it (and inside the image); anything else is a FormatException.
 */
public final class BaseImage {
  private final ImageBytes bytes;
  private final long start;
  private final long length;
  private final BaseSuperblock superblock;

  private BaseImage(ImageBytes bytes, long start, long length, BaseSuperblock superblock) {
    this.bytes = bytes;
    this.start = start;
    this.length = length;
    this.superblock = superblock;
  }

  /** Opens the base region [start, start+length) of the image. */
  public static BaseImage read(ImageBytes bytes, long start, long length) {
    if (!bytes.contains(start, length)) {
      throw new FormatException("base image", start, "region of " + Long.toUnsignedString(length)
          + " bytes at " + Long.toUnsignedString(start) + " lies outside the " + bytes.size() + "-byte image");
    }
    if (length < Format.BASE_SUPERBLOCK_SIZE) {
      throw new FormatException("base image", start, "base_size " + length + " is smaller than the base superblock");
    }
    return new BaseImage(bytes, start, length, BaseSuperblock.read(bytes, start));
  }

  public BaseSuperblock superblock() { return superblock; }

  /** Absolute offset of the base image. */
  public long start() { return start; }

  /** base_size from the image superblock. */
  public long length() { return length; }

  public ImageBytes bytes() { return bytes; }

  /** inode_count, unsigned. */
  public long inodeCount() { return superblock.inodeCountUnsigned(); }

  /**
   * Absolute offset of the extent [relOffset, relOffset+size) of the base, checked to lie inside it;
   * the error names {@code structure} at the extent's absolute offset, or at the base when the
   * offset itself lies outside.
   */
  public long absolute(long relOffset, long size, String structure) {
    if (!inside(relOffset, size)) {
      throw new FormatException(structure, relOffset >= 0 && relOffset <= length ? start + relOffset : start,
          "extent of " + Long.toUnsignedString(size) + " bytes at base offset " + Long.toUnsignedString(relOffset)
              + " lies outside the " + length + "-byte base image");
    }
    return start + relOffset;
  }

  private boolean inside(long relOffset, long size) {
    return relOffset >= 0 && size >= 0 && relOffset <= length && size <= length - relOffset;
  }

  /**
   * Absolute offset of an inode's extent; the error names the inode's data_offset field and the
   * structure "KIND inode N" (built only on failure: this runs once per directory walked).
   */
  private long extent(Inode n, String kind) {
    if (!inside(n.dataOffset(), n.size())) {
      String what = kind + " inode " + n.slot();
      long field = n.slot() >= 1 && n.slot() <= inodeCount() ? inodeAt(n.slot()) + Structs.offset(INODE, "data_offset")
          : start;
      throw new FormatException(what, field, "extent of " + Long.toUnsignedString(n.size()) + " bytes at base offset "
          + Long.toUnsignedString(n.dataOffset()) + " lies outside the " + length + "-byte base image");
    }
    return start + n.dataOffset();
  }

  /** Absolute offset of inode {@code ino}'s table slot (1-based), checked. */
  public long inodeAt(long ino) {
    if (ino < 1 || ino > inodeCount()) {
      throw new FormatException("inode", start + Structs.offset(Structs.BASE_SUPERBLOCK, "inode_count"),
          "inode number " + Long.toUnsignedString(ino) + " outside 1.." + inodeCount() + " (inode_count)");
    }
    long rel;
    try {
      rel = Math.addExact(superblock.inodeOffset(), Math.multiplyExact(ino - 1, INODE.byteSize()));
    } catch (ArithmeticException e) {
      throw new FormatException("inode", start, "inode " + ino + " position overflows");
    }
    // The message is built only on failure: this runs once per inode read.
    return inside(rel, INODE.byteSize()) ? start + rel : absolute(rel, INODE.byteSize(), "inode " + ino);
  }

  /** The inode in slot {@code ino} (1-based). */
  public Inode inode(long ino) {
    return Inode.read(bytes, inodeAt(ino), (int) ino);
  }

  /** The dirents of a directory inode. */
  public DirentArray dirents(Inode dir) {
    if (dir.size() == 0) {
      return new DirentArray(bytes, start, 0);
    }
    long at = extent(dir, "directory");
    if (Long.remainderUnsigned(dir.size(), Format.DIRENT_SIZE) != 0) {
      throw new FormatException("directory inode " + dir.slot(), at, "size " + Long.toUnsignedString(dir.size())
          + " is not a multiple of " + Format.DIRENT_SIZE);
    }
    return new DirentArray(bytes, at, dir.size() / Format.DIRENT_SIZE);
  }

  /** A regular file's bytes, without copying. */
  public MemorySegment data(Inode file) {
    if (file.size() == 0) {
      return MemorySegment.ofArray(new byte[0]);
    }
    String what = "file inode " + file.slot();
    return bytes.slice(extent(file, "file"), file.size(), what);
  }

  /** A symlink's target bytes (size bytes; the NUL after them is checked by the validator). */
  public byte[] symlinkTarget(Inode link) {
    String what = "symlink inode " + link.slot();
    long at = extent(link, "symlink");
    if (link.size() > Format.BLOCK_SIZE) {
      throw new FormatException(what, at, "target of " + Long.toUnsignedString(link.size())
          + " bytes is longer than a page");
    }
    return bytes.bytes(at, link.size(), what);
  }
}
