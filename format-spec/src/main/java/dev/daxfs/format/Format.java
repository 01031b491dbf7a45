package dev.daxfs.format;

/** Constants of the DAXFS v3 on-disk format. FORMAT.md's constant table is checked against these. */
public final class Format {
  private Format() {}

  public static final int IMAGE_MAGIC = 0x64617833;
  public static final int BASE_MAGIC = 0x64646179;
  public static final int VERSION = 3;
  public static final int BLOCK_SIZE = 4096;
  public static final int SUPERBLOCK_SIZE = 4096;
  public static final int BASE_SUPERBLOCK_SIZE = 4096;
  public static final int INODE_SIZE = 64;
  public static final int DIRENT_SIZE = 144;
  public static final int NAME_MAX = 128;
  public static final int ROOT_INO = 1;
  public static final int BRANCH_NAME_FIELD = 32;
  public static final int BRANCH_NAME_MAX = BRANCH_NAME_FIELD - 1;
  public static final int MAX_BRANCHES = 256;
  public static final int BRANCH_RECORD_SIZE = 128;
  public static final int BRANCH_TABLE_SIZE = MAX_BRANCHES * BRANCH_RECORD_SIZE;
  public static final int DELTA_HEADER_SIZE = 24;
  /** The v3 kernel carves a fixed 64 KiB log for every branch it starts. */
  public static final int KERNEL_LOG_CAPACITY = 64 * 1024;
  /** Upstream mkdaxfs's default delta region for -w. */
  public static final long DEFAULT_DELTA_SIZE = 64L * 1024 * 1024;

  // branch states
  public static final int BRANCH_FREE = 0;
  public static final int BRANCH_ACTIVE = 1;
  public static final int BRANCH_COMMITTED = 2;
  public static final int BRANCH_ABORTED = 3;

  // delta entry types
  public static final int DELTA_WRITE = 1;
  public static final int DELTA_CREATE = 2;
  public static final int DELTA_DELETE = 3;
  public static final int DELTA_TRUNCATE = 4;
  public static final int DELTA_MKDIR = 5;
  public static final int DELTA_RENAME = 6;
  public static final int DELTA_SETATTR = 7;
  public static final int DELTA_SYMLINK = 8;
  /** The highest type: types are 1..DELTA_LAST_TYPE. */
  public static final int DELTA_LAST_TYPE = DELTA_SYMLINK;

  // setattr valid bits
  public static final int ATTR_MODE = 1;
  public static final int ATTR_UID = 2;
  public static final int ATTR_GID = 4;
  public static final int ATTR_SIZE = 8;

  // file type bits of mode, as in stat(2)
  public static final int S_IFMT = 0170000;
  public static final int S_IFSOCK = 0140000;
  public static final int S_IFLNK = 0120000;
  public static final int S_IFREG = 0100000;
  public static final int S_IFBLK = 0060000;
  public static final int S_IFDIR = 0040000;
  public static final int S_IFCHR = 0020000;
  public static final int S_IFIFO = 0010000;

  public static boolean isDirectory(int mode) { return (mode & S_IFMT) == S_IFDIR; }
  public static boolean isRegular(int mode) { return (mode & S_IFMT) == S_IFREG; }
  public static boolean isSymlink(int mode) { return (mode & S_IFMT) == S_IFLNK; }

  /** Rounds up to the next block boundary; callers keep values far below Long.MAX_VALUE. */
  public static long alignUp(long value) {
    return Math.addExact(value, BLOCK_SIZE - 1) & -(long) BLOCK_SIZE;
  }

  public static String branchStateName(int state) {
    return switch (state) {
      case BRANCH_FREE -> "FREE";
      case BRANCH_ACTIVE -> "ACTIVE";
      case BRANCH_COMMITTED -> "COMMITTED";
      case BRANCH_ABORTED -> "ABORTED";
      default -> "UNKNOWN(" + Integer.toUnsignedString(state) + ")";
    };
  }

  public static String deltaTypeName(int type) {
    return switch (type) {
      case DELTA_WRITE -> "WRITE";
      case DELTA_CREATE -> "CREATE";
      case DELTA_DELETE -> "DELETE";
      case DELTA_TRUNCATE -> "TRUNCATE";
      case DELTA_MKDIR -> "MKDIR";
      case DELTA_RENAME -> "RENAME";
      case DELTA_SETATTR -> "SETATTR";
      case DELTA_SYMLINK -> "SYMLINK";
      default -> "UNKNOWN(" + Integer.toUnsignedString(type) + ")";
    };
  }
}
