package dev.daxfs.validate;

import static dev.daxfs.format.Structs.BASE_SUPERBLOCK;
import static dev.daxfs.format.Structs.INODE;
import static dev.daxfs.format.Structs.offset;
import static dev.daxfs.validate.SuperblockCheck.u;

import dev.daxfs.format.BaseImage;
import dev.daxfs.format.BaseSuperblock;
import dev.daxfs.format.Format;
import dev.daxfs.format.Inode;

/**
 * Rules 10-22, 32, 33 and 56-58: the base superblock, every inode, its extent and symlink target. Reads
 * each inode once; what the tree walk needs later is kept in one byte per inode.
 */
final class BaseCheck {
  private static final String WHAT = "base superblock";
  /** readlink and the VFS handle targets of at most PATH_MAX - 1 bytes. */
  private static final int TARGET_MAX = Format.BLOCK_SIZE - 1;
  private static final long INODE_RESERVED = offset(INODE, "reserved");
  private static final long INODE_SIZE = offset(INODE, "size");
  private static final long INODE_RESERVED_SIZE = INODE.byteSize() - INODE_RESERVED;

  private BaseCheck() {}

  /**
   * Returns what the tree walk may rely on, or null when the inode table cannot be read.
   * {@code base} has passed rule 5: its region lies inside the image.
   */
  static BaseFacts check(BaseImage base, Problems p) {
    BaseSuperblock bs = base.superblock();
    long start = base.start();
    if (bs.magic() != Format.BASE_MAGIC || bs.version() != Format.VERSION) {
      p.add(Rule.BASE_MAGIC, WHAT, start + offset(BASE_SUPERBLOCK, "magic"),
          String.format("magic 0x%08x version %d", Format.BASE_MAGIC, Format.VERSION),
          String.format("magic 0x%08x version %s", bs.magic(), Integer.toUnsignedString(bs.version())));
      return null;
    }
    if (bs.flags() != 0 || bs.blockSize() != Format.BLOCK_SIZE) {
      p.add(Rule.BASE_FLAGS, WHAT, start + offset(BASE_SUPERBLOCK, "flags"),
          "flags 0 and block_size " + Format.BLOCK_SIZE,
          "flags " + Integer.toUnsignedString(bs.flags()) + " and block_size " + Integer.toUnsignedString(bs.blockSize()));
    }
    tail(base, p);
    long used = bs.totalSize();
    if (Long.compareUnsigned(used, base.length()) > 0) {
      p.add(Rule.BASE_TOTAL_SIZE, WHAT, start + offset(BASE_SUPERBLOCK, "total_size"),
          "total_size at most base_size " + base.length(), "total_size " + u(used));
      // Everything below stays inside the region the image gives the base.
      used = base.length();
    }
    long count = bs.inodeCountUnsigned();
    Span table = new Span(bs.inodeOffset(), count * INODE.byteSize());
    if (!table.inside(base.length())) {
      p.add(Rule.INODE_TABLE_INSIDE, WHAT, start + offset(BASE_SUPERBLOCK, "inode_offset"),
          "inode table inside the " + base.length() + "-byte base", "inode table " + table + " for " + count + " inodes");
      return null;
    }
    long dataStart = bs.dataOffset();
    if (Long.compareUnsigned(used, Format.BASE_SUPERBLOCK_SIZE) < 0
        || Long.compareUnsigned(bs.inodeOffset(), Format.BASE_SUPERBLOCK_SIZE) < 0
        || Long.compareUnsigned(table.end(), bs.dataOffset()) > 0
        || Long.compareUnsigned(bs.dataOffset(), used) > 0) {
      p.add(Rule.BASE_LAYOUT, WHAT, start + offset(BASE_SUPERBLOCK, "inode_offset"),
          "base superblock, then inode table, then data area, inside total_size",
          "inode table " + table + ", data_offset " + u(bs.dataOffset()) + ", total_size " + u(bs.totalSize()));
      dataStart = Math.max(table.end(), Format.BASE_SUPERBLOCK_SIZE);
    }
    long root = Integer.toUnsignedLong(bs.rootInode());
    boolean rootInRange = root >= 1 && root <= count;
    if (!rootInRange) {
      p.add(Rule.ROOT_IN_RANGE, WHAT, start + offset(BASE_SUPERBLOCK, "root_inode"), "1.." + count, u(root));
    }

    BaseFacts facts = new BaseFacts(base, count, used, rootInRange ? root : 0);
    Extents extents = new Extents(Math.toIntExact(count));
    for (long ino = 1; ino <= count; ino++) {
      checkInode(facts, base.inode(ino), dataStart, extents, p);
    }
    extents.checkOverlaps(base, p);
    if (rootInRange && !facts.isDirectory(root)) {
      p.add(Rule.ROOT_IS_DIRECTORY, "inode", base.inodeAt(root) + offset(INODE, "mode"), root,
          "a directory", modeText(base.inode(root).mode()));
      return facts.withoutRoot();
    }
    return facts;
  }

  /** Rule 56: the base superblock block's bytes after the fields, inside the base region. */
  private static void tail(BaseImage base, Problems p) {
    long from = BASE_SUPERBLOCK.byteSize();
    long to = Math.min(Format.BASE_SUPERBLOCK_SIZE, base.length());
    long at = to <= from ? -1 : ZeroBytes.firstNonZero(base.bytes(), base.start() + from, to - from, WHAT);
    if (at >= 0) {
      p.add(Rule.BASE_SUPERBLOCK_TAIL, WHAT, at, "zero bytes " + from + ".." + (Format.BASE_SUPERBLOCK_SIZE - 1)
          + " of the base superblock block", ZeroBytes.found(base.bytes(), at, WHAT));
    }
  }

  private static void checkInode(BaseFacts facts, Inode inode, long dataStart, Extents extents, Problems p) {
    BaseImage base = facts.base();
    long ino = inode.slot();
    long at = base.inodeAt(ino);
    facts.mode(ino, inode.mode());
    long reserved = ZeroBytes.firstNonZero(base.bytes(), at + INODE_RESERVED, INODE_RESERVED_SIZE, "inode");
    if (reserved >= 0) {
      p.add(Rule.INODE_RESERVED, "inode", reserved, ino, "zero reserved bytes",
          ZeroBytes.found(base.bytes(), reserved, "inode"));
    }
    if (inode.isDirectory() && inode.size() == 0 && inode.dataOffset() != 0) {
      p.add(Rule.EMPTY_DIRECTORY_OFFSET, "inode", at + offset(INODE, "data_offset"), ino,
          "data_offset 0 for an empty directory", u(inode.dataOffset()));
    }
    if (Integer.toUnsignedLong(inode.ino()) != ino) {
      p.add(Rule.INODE_NUMBER, "inode", at + offset(INODE, "ino"), ino, "ino " + ino,
          "ino " + Integer.toUnsignedString(inode.ino()));
    }
    boolean known = inode.isRegular() || inode.isDirectory() || inode.isSymlink();
    if (!known) {
      p.add(Rule.INODE_TYPE, "inode", at + offset(INODE, "mode"), ino, "a regular file, directory or symlink",
          modeText(inode.mode()));
    }
    Span extent = new Span(inode.dataOffset(), inode.size());
    boolean inside = inode.size() == 0 || extent.inside(facts.used());
    if (!inside) {
      p.add(Rule.EXTENT_INSIDE, "inode", at + offset(INODE, "data_offset"), ino,
          "extent inside the base's " + facts.used() + " used bytes", "extent " + extent);
    }
    if (inode.isSymlink()) {
      checkSymlink(facts, inode, at, p);
    }
    if (!inside || inode.size() == 0) {
      return;
    }
    long length = inode.isSymlink() ? inode.size() + 1 : inode.size();
    if (Long.compareUnsigned(inode.dataOffset(), dataStart) < 0) {
      p.add(Rule.EXTENT_IN_DATA_AREA, "inode", at + offset(INODE, "data_offset"), ino,
          "extent at or after the data area at base offset " + dataStart, "extent " + extent);
    } else if (inode.isRegular() && inode.dataOffset() % Format.BLOCK_SIZE != 0) {
      p.add(Rule.FILE_EXTENT_ALIGNED, "inode", at + offset(INODE, "data_offset"), ino,
          "data_offset on a " + Format.BLOCK_SIZE + "-byte boundary", u(inode.dataOffset()));
    }
    // A symlink's NUL may be the first byte past the used bytes; nothing else lies there.
    extents.add(inode.dataOffset(), length, (int) ino, inode.isRegular());
    if (inode.isDirectory()) {
      if (inode.size() % Format.DIRENT_SIZE != 0) {
        p.add(Rule.DIRECTORY_SIZE, "inode", at + INODE_SIZE, ino,
            "a multiple of " + Format.DIRENT_SIZE, "size " + u(inode.size()));
      } else {
        facts.markReadableDirectory(ino);
      }
    }
  }

  private static void checkSymlink(BaseFacts facts, Inode link, long at, Problems p) {
    long ino = link.slot();
    long size = link.size();
    long sizeAt = at + INODE_SIZE;
    if (size == 0 || Long.compareUnsigned(size, TARGET_MAX) > 0) {
      p.add(Rule.SYMLINK_TARGET, "inode", sizeAt, ino, "a target of 1.." + TARGET_MAX + " bytes",
          "size " + u(size));
    }
    if (size == 0) {
      return;
    }
    Span withNul = new Span(link.dataOffset(), size + 1);
    if (size == -1L || !withNul.inside(facts.used())) {
      p.add(Rule.SYMLINK_TERMINATED, "inode", at + offset(INODE, "data_offset"), ino,
          "target and its NUL inside the base's " + facts.used() + " used bytes", "extent " + withNul);
      return;
    }
    // The first page is always scanned; longer targets (which break rule 33 anyway) are scanned
    // on, for the kernel's rule 32, only while the total stays within the base's size, so many
    // symlinks sharing one long extent cannot make the check quadratic. Past that budget a
    // target counts as unterminated.
    long abs = facts.base().start() + link.dataOffset();
    long first = Math.min(size + 1, Format.BLOCK_SIZE);
    long nul = facts.base().bytes().indexOfZero(abs, first, "symlink target");
    // For a target within the first page the rest is empty: nothing more is scanned or taken.
    if (nul < 0 && facts.takeScan(size + 1 - first)) {
      long rest = facts.base().bytes().indexOfZero(abs + first, size + 1 - first, "symlink target");
      nul = rest < 0 ? -1 : first + rest;
    }
    if (nul < 0) {
      p.add(Rule.SYMLINK_TERMINATED, "symlink target", abs + size, ino, "a NUL within the first " + (size + 1)
          + " bytes", "none");
    } else if (nul < size) {
      p.add(Rule.SYMLINK_TARGET, "symlink target", abs + nul, ino, "no NUL inside the " + size + "-byte target",
          "a NUL at byte " + nul);
    }
  }

  static String modeText(int mode) {
    return "mode 0" + Integer.toOctalString(mode);
  }
}
