package dev.daxfs.fuzz;

import static dev.daxfs.fuzz.Hazard.Kind.INODE_COLLISION;
import static dev.daxfs.fuzz.Hazard.Kind.MOUNT_REFUSED;
import static dev.daxfs.fuzz.Hazard.Kind.OUT_OF_BOUNDS;
import static dev.daxfs.fuzz.Hazard.Kind.WRITE_OUTSIDE_DELTA;
import static dev.daxfs.fuzz.Hazard.Kind.WRONG_CONTENT;

import java.util.ArrayList;
import java.util.List;

/**
 * What the v3 module's fill_super does with an image: the magic and version checks, the
 * {@code validate} option's checks, loading the base image, and for a branching image the start of
 * a new {@code main} (a record in the first free slot, a 64 KiB log carved at delta_alloc_offset,
 * three superblock fields). Then the root inode is read. Offsets and sizes are the kernel's u64s,
 * held in longs and compared unsigned. The structures' field offsets are written out here on
 * purpose, from the kernel's headers, rather than taken from the codec this model checks.
 */
final class KernelMount {
  static final int INODE_SIZE = 64;
  static final int DIRENT_SIZE = 144;
  static final int NAME_MAX = 128;
  static final int BRANCH_SIZE = 128;
  static final int LOG_CAPACITY = 64 * 1024;
  static final long ROOT_INO = 1;
  static final int S_IFMT = 0170000;
  static final int S_IFDIR = 0040000;
  static final int S_IFREG = 0100000;
  static final int S_IFLNK = 0120000;

  final KernelMemory mem;
  final boolean validate;
  final Region superblock;
  String refusal;          // why the mount failed, null when mounted
  boolean staticImage;
  long baseOffset;
  long baseSize;           // from the image superblock
  long baseTotal;          // the base superblock's total_size, the bound of every base extent
  long inodeTable;         // absolute; -1 when base_inodes is NULL
  long inodeCount;         // u32
  boolean hasBase;
  Region baseRegion;
  Region baseUsed;
  Region inodeRegion;
  Region tableRegion;
  Region deltaRegion;
  long branchTableOffset;
  long branchEntries;      // u32
  long nextInodeId;
  /** Absolute offset of the log carved for main at mount; -1 for a static image. */
  long mainLog = -1;
  int mainSlot = -1;
  /** Known defects of the module that hit any image of this shape (not the image's fault). */
  final List<String> kernelDefects = new ArrayList<>();

  private KernelMount(byte[] image, boolean validate) {
    this.mem = new KernelMemory(image);
    this.validate = validate;
    this.superblock = new Region("superblock", 0, 4096);
  }

  /** Mounts read-write (a branching image cannot be mounted otherwise on its first mount). */
  static KernelMount mount(byte[] image, boolean validate) {
    KernelMount m = new KernelMount(image, validate);
    try {
      m.fillSuper();
    } catch (KernelMemory.Oops e) {
      m.refusal = "oops: " + e.getMessage();
    }
    return m;
  }

  boolean mounted() { return refusal == null; }

  List<Hazard> hazards() { return mem.hazards(); }

  private long sbU32(long off, String field) { return mem.u32(off, superblock, "superblock " + field); }

  private long sbU64(long off, String field) { return mem.u64(off, superblock, "superblock " + field); }

  private void refuse(String why) {
    refusal = why;
    mem.hazard(MOUNT_REFUSED, -1, why);
  }

  private void fillSuper() {
    if (sbU32(0, "magic") != 0x64617833L) {
      refusal = "EINVAL: bad magic";   // not v3 at all: no hazard, the kernel says no cleanly
      return;
    }
    if (sbU32(4, "version") != 3) {
      refusal = "EINVAL: unsupported version";
      return;
    }
    branchEntries = sbU32(48, "branch_table_entries");
    baseOffset = sbU64(24, "base_offset");
    baseSize = sbU64(32, "base_size");
    branchTableOffset = sbU64(40, "branch_table_offset");
    long deltaOffset = sbU64(72, "delta_region_offset");
    long deltaSize = sbU64(80, "delta_region_size");
    baseRegion = new Region("base image", baseOffset, baseSize);
    tableRegion = new Region("branch table", branchTableOffset, branchEntries * BRANCH_SIZE);
    deltaRegion = new Region("delta region", deltaOffset, deltaSize);
    if (validate && !validateSuper(deltaOffset, deltaSize)) {
      return;
    }
    if (baseOffset != 0 && !loadBase()) {
      return;
    }
    if (branchEntries == 0) {
      staticImage = true;
    } else if (!startMain(deltaOffset, deltaSize)) {
      return;
    }
    BaseInodeRaw root = baseInode(ROOT_INO);
    if (root == null) {
      refuse("ENOENT: the root inode 1 does not exist");
      return;
    }
    if ((root.mode() & S_IFMT) != S_IFDIR) {
      mem.hazard(WRONG_CONTENT, root.at(), "root inode 1 has mode 0" + Integer.toOctalString(root.mode())
          + ", not a directory: every path below the mount point fails with ENOTDIR");
    }
  }

  private boolean validateSuper(long deltaOffset, long deltaSize) {
    if (baseOffset != 0 && !mem.mapped(baseOffset, baseSize)) {
      refuse("EINVAL: base image region exceeds image bounds");
      return false;
    }
    if (branchTableOffset != 0 && !mem.mapped(branchTableOffset, branchEntries * BRANCH_SIZE)) {
      refuse("EINVAL: branch table exceeds image bounds");
      return false;
    }
    if (deltaOffset != 0 && !mem.mapped(deltaOffset, deltaSize)) {
      refuse("EINVAL: delta region exceeds image bounds");
      return false;
    }
    return true;
  }

  /** Reads the base superblock fields at base_offset, then (with validate) checks the base. */
  private boolean loadBase() {
    if (!mem.mapped(baseOffset, 1)) {
      // daxfs_mem_ptr returns NULL and the next line dereferences it.
      mem.hazard(OUT_OF_BOUNDS, baseOffset, "base_offset " + Long.toUnsignedString(baseOffset)
          + " is past the mapping: the base superblock pointer is NULL");
      throw new KernelMemory.Oops("NULL base superblock");
    }
    hasBase = true;
    String what = "base superblock";
    long inodeOffset = mem.u64(baseOffset + 24, baseRegion, what + " inode_offset");
    mem.u64(baseOffset + 40, baseRegion, what + " data_offset");   // read, never used for access
    inodeCount = mem.u32(baseOffset + 32, baseRegion, what + " inode_count");
    long table = baseOffset + inodeOffset;
    inodeTable = mem.mapped(table, 1) ? table : -1;
    baseTotal = mem.u64(baseOffset + 16, baseRegion, what + " total_size");
    baseUsed = new Region("used base image", baseOffset, baseTotal);
    inodeRegion = new Region("inode table", table, inodeCount * INODE_SIZE);
    if (validate && !validateBase(inodeOffset)) {
      return false;
    }
    if (Long.compareUnsigned(baseTotal, baseSize) > 0) {
      // Without validate nothing stops extents from reaching past base_size.
      baseUsed = baseRegion;
    }
    long rootField = mem.u32(baseOffset + 36, baseRegion, what + " root_inode");
    if (rootField != ROOT_INO) {
      mem.hazard(WRONG_CONTENT, baseOffset + 36, "root_inode is " + rootField
          + " but the kernel always mounts inode 1 as the root");
    }
    return true;
  }

  private boolean validateBase(long inodeOffset) {
    String what = "base superblock";
    if (mem.u32(baseOffset, baseRegion, what + " magic") != 0x64646179L) {
      refuse("EINVAL: invalid base image magic");
      return false;
    }
    if (mem.u32(baseOffset + 4, baseRegion, what + " version") != 3) {
      refuse("EINVAL: unsupported base image version");
      return false;
    }
    if (Long.compareUnsigned(baseTotal, baseSize) > 0) {
      refuse("EINVAL: base image total_size exceeds allocated space");
      return false;
    }
    if (Long.compareUnsigned(inodeOffset, baseSize) > 0
        || Long.compareUnsigned(inodeCount * INODE_SIZE, baseSize - inodeOffset) > 0) {
      refuse("EINVAL: inode table exceeds base image bounds");
      return false;
    }
    long root = mem.u32(baseOffset + 36, baseRegion, what + " root_inode");
    if (root < 1 || root > inodeCount) {
      refuse("EINVAL: invalid root inode number");
      return false;
    }
    for (long ino = 1; ino <= inodeCount; ino++) {
      BaseInodeRaw raw = baseInode(ino);
      if (raw.size() != 0 && !validBaseOffset(raw.dataOffset(), raw.size())) {
        refuse("EINVAL: inode " + ino + " has invalid data offset");
        return false;
      }
      int type = raw.mode() & S_IFMT;
      if (type == S_IFDIR && raw.size() != 0) {
        if (Long.remainderUnsigned(raw.size(), DIRENT_SIZE) != 0) {
          refuse("EINVAL: dir inode " + ino + " has invalid size");
          return false;
        }
        long entries = (Long.divideUnsigned(raw.size(), DIRENT_SIZE)) & 0xffffffffL;   // u32 num_entries
        long at = baseOffset + raw.dataOffset();
        for (long j = 0; j < entries; j++) {
          long de = at + j * DIRENT_SIZE;
          long child = mem.u32(de, baseUsed, "dirent ino");
          if (child < 1 || child > inodeCount) {
            refuse("EINVAL: dir " + ino + " entry " + j + " has invalid ino");
            return false;
          }
          if (mem.u16(de + 8, baseUsed, "dirent name_len") > NAME_MAX) {
            refuse("EINVAL: dir " + ino + " entry " + j + " name too long");
            return false;
          }
        }
      }
      if (type == S_IFLNK && raw.size() != 0) {
        if (!validBaseOffset(raw.dataOffset(), raw.size() + 1)) {
          refuse("EINVAL: inode " + ino + " symlink extends past bounds");
          return false;
        }
        long at = baseOffset + raw.dataOffset();
        int limit = (int) Math.min(raw.size() + 1, Integer.MAX_VALUE);
        if (mem.strnlen(at, limit, baseUsed, "symlink target") > raw.size()) {
          refuse("EINVAL: inode " + ino + " symlink not null-terminated");
          return false;
        }
      }
    }
    return true;
  }

  /** daxfs_valid_base_offset: the extent lies inside the base's total_size (overflow-safe). */
  boolean validBaseOffset(long offset, long len) {
    if (Long.compareUnsigned(offset, -1L - len) > 0) {
      return false;
    }
    return Long.compareUnsigned(offset + len, baseTotal) <= 0;
  }

  /** daxfs_init_main_branch, as every read-write mount of a branching image runs it. */
  private boolean startMain(long deltaOffset, long deltaSize) {
    if (!mem.mapped(branchTableOffset, 1)) {
      mem.hazard(OUT_OF_BOUNDS, branchTableOffset, "branch_table_offset "
          + Long.toUnsignedString(branchTableOffset) + " is past the mapping: the branch table pointer is NULL");
      throw new KernelMemory.Oops("NULL branch table");
    }
    long allocOffset = sbU64(88, "delta_alloc_offset");
    nextInodeId = sbU64(64, "next_inode_id");
    long slotAt = -1;
    for (long i = 0; i < branchEntries; i++) {
      long at = branchTableOffset + i * BRANCH_SIZE;
      if (mem.u32(at + 40, tableRegion, "branch record state") == 0) {
        slotAt = at;
        mainSlot = (int) i;
        break;
      }
    }
    if (slotAt < 0) {
      refuse("ENOSPC: no free slot in the branch table for main");
      return false;
    }
    long end = allocOffset + LOG_CAPACITY;
    long regionEnd = deltaOffset + deltaSize;
    if (Long.compareUnsigned(end, regionEnd) > 0 || allocOffset == 0) {
      refuse("ENOSPC: the delta region has no room for main's " + LOG_CAPACITY + "-byte log at "
          + Long.toUnsignedString(allocOffset));
      return false;
    }
    Region base = baseOffset == 0 ? null : baseRegion;
    checkWrite(52, 44, "superblock fields the mount updates", base, tableRegion, deltaRegion);
    mem.putU64(88, end, "superblock delta_alloc_offset");
    checkWrite(slotAt, BRANCH_SIZE, "main's branch record", superblock, base, deltaRegion);
    writeMainRecord(slotAt, allocOffset);
    mem.putU32(52, 1, "superblock active_branches");
    mem.putU64(56, 2, "superblock next_branch_id");
    mainLog = allocOffset;
    if (!deltaRegion.contains(allocOffset, LOG_CAPACITY)) {
      mem.hazard(WRITE_OUTSIDE_DELTA, allocOffset, "main's log [" + Long.toUnsignedString(allocOffset) + ", +"
          + LOG_CAPACITY + ") is carved outside " + deltaRegion);
    }
    checkWrite(allocOffset, LOG_CAPACITY, "main's log", superblock, base, tableRegion);
    if (!mem.mapped(allocOffset, LOG_CAPACITY)) {
      mem.hazard(OUT_OF_BOUNDS, allocOffset, "main's log [" + Long.toUnsignedString(allocOffset) + ", +"
          + LOG_CAPACITY + ") is not inside the " + mem.size() + "-byte mapping: the first write oopses");
    }
    if (hasBase && Long.compareUnsigned(nextInodeId, inodeCount) <= 0) {
      mem.hazard(INODE_COLLISION, 64, "next_inode_id " + Long.toUnsignedString(nextInodeId)
          + " is not above the " + inodeCount + " base inodes: a child branch's first new inode"
          + " takes the number of a base inode");
    }
    kernelDefects.add("main starts at next_local_ino 2, so files created in main collide with base inodes");
    return true;
  }

  /** The fields daxfs_init_main_branch stores, one by one; strscpy leaves the name field's tail. */
  private void writeMainRecord(long at, long logOffset) {
    byte[] rec = new byte[61];
    putLe(rec, 0, 8, 1);                 // branch_id
    putLe(rec, 16, 8, logOffset);        // delta_log_offset
    putLe(rec, 32, 8, LOG_CAPACITY);     // delta_log_capacity
    putLe(rec, 40, 4, 1);                // state ACTIVE
    putLe(rec, 44, 4, 1);                // refcount
    putLe(rec, 48, 8, ROOT_INO + 1);     // next_local_ino
    rec[56] = 'm';
    rec[57] = 'a';
    rec[58] = 'i';
    rec[59] = 'n';
    mem.write(at, rec, "main's branch record");
  }

  private static void putLe(byte[] b, int off, int len, long v) {
    for (int i = 0; i < len; i++) {
      b[off + i] = (byte) (v >>> (8 * i));
    }
  }

  /** A write the mount makes must not land in a structure other than its own. */
  private void checkWrite(long at, long len, String what, Region... forbidden) {
    for (Region r : forbidden) {
      if (r != null && r.overlaps(at, len)) {
        mem.hazard(WRITE_OUTSIDE_DELTA, at, what + " [" + Long.toUnsignedString(at) + ", +" + len + ") overlaps " + r);
      }
    }
  }

  /** One base inode as the kernel reads it, or null where daxfs_iget says ENOENT. */
  BaseInodeRaw baseInode(long ino) {
    if (!hasBase || inodeTable < 0 || Long.compareUnsigned(ino, inodeCount) > 0) {
      return null;
    }
    long at = inodeTable + (ino - 1) * INODE_SIZE;   // ino 0 indexes the slot before the table
    String what = "inode " + ino;
    return new BaseInodeRaw(ino, at, (int) mem.u32(at + 4, inodeRegion, what + " mode"),
        mem.u32(at + 8, inodeRegion, what + " uid"), mem.u32(at + 12, inodeRegion, what + " gid"),
        mem.u64(at + 16, inodeRegion, what + " size"), mem.u64(at + 24, inodeRegion, what + " data_offset"));
  }

  /** A raw base inode: where it sits and the fields the read path uses (uid/gid for our tools). */
  record BaseInodeRaw(long ino, long at, int mode, long uid, long gid, long size, long dataOffset) {}

  /** One base dirent as daxfs_iterate / daxfs_lookup read it. */
  record RawDirent(long at, long ino, int mode, byte[] name) {}

  /** daxfs_get_base_dirents and the reads of each entry; bounded by the mapping. */
  List<RawDirent> baseDirents(long dirIno) {
    BaseInodeRaw dir = baseInode(dirIno);
    if (dir == null || dir.size() == 0) {
      return List.of();
    }
    long count = Long.divideUnsigned(dir.size(), DIRENT_SIZE) & 0xffffffffL;
    long at = baseOffset + dir.dataOffset();
    if (count == 0) {
      return List.of();
    }
    if (!mem.mapped(at, 1)) {
      mem.hazard(OUT_OF_BOUNDS, at, "directory " + dirIno + ": dirent pointer past the mapping is NULL");
      throw new KernelMemory.Oops("NULL dirents");
    }
    mem.checkRead(at, count * DIRENT_SIZE, baseUsed, "dirents of directory " + dirIno);
    List<RawDirent> out = new ArrayList<>();
    for (long i = 0; i < count; i++) {
      long de = at + i * DIRENT_SIZE;
      int nameLen = mem.u16(de + 8, null, "dirent name_len");
      byte[] name = mem.bytes(de + 16, nameLen, new Region("dirent name field", de + 16, NAME_MAX),
          "name of entry " + i + " of directory " + dirIno);
      out.add(new RawDirent(de, mem.u32(de, null, "dirent ino"), (int) mem.u32(de + 4, null, "dirent mode"), name));
    }
    return out;
  }
}
