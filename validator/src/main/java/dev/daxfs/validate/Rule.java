package dev.daxfs.validate;

import static dev.daxfs.validate.Severity.ERROR;
import static dev.daxfs.validate.Severity.WARNING;

/**
 * The validity rules of FORMAT.md, by the number every message cites. {@code kernel} marks the
 * rules the v3 kernel's own {@code validate} mount option enforces.
 */
public enum Rule {
  IMAGE_MAGIC(1, ERROR, true, "image magic"),
  IMAGE_VERSION(2, ERROR, true, "image version"),
  IMAGE_FLAGS(3, ERROR, false, "image flags and block size"),
  TOTAL_SIZE(4, ERROR, false, "total size"),
  REGIONS_INSIDE(5, ERROR, true, "regions inside the image"),
  REGION_PLACEMENT(6, ERROR, false, "region placement"),
  IMAGE_KIND(7, ERROR, false, "static or branching"),
  DELTA_ALLOC_OFFSET(8, ERROR, false, "delta_alloc_offset"),
  NEXT_INODE_ID(9, ERROR, false, "next_inode_id"),
  BASE_MAGIC(10, ERROR, true, "base magic and version"),
  BASE_FLAGS(11, ERROR, false, "base flags and block size"),
  BASE_TOTAL_SIZE(12, ERROR, true, "base total size"),
  INODE_TABLE_INSIDE(13, ERROR, true, "inode table inside the base"),
  BASE_LAYOUT(14, ERROR, false, "base layout"),
  ROOT_IN_RANGE(15, ERROR, true, "root inode number"),
  ROOT_IS_DIRECTORY(16, ERROR, false, "root is a directory"),
  INODE_NUMBER(17, ERROR, false, "inode number equals slot"),
  INODE_TYPE(18, ERROR, false, "inode type"),
  EXTENT_INSIDE(19, ERROR, true, "extent inside the base"),
  EXTENT_IN_DATA_AREA(20, ERROR, false, "extent inside the data area"),
  FILE_EXTENT_ALIGNED(21, ERROR, false, "file extent alignment"),
  EXTENT_OVERLAP(22, ERROR, false, "overlapping extents"),
  DIRECTORY_SIZE(23, ERROR, true, "directory size"),
  DIRENT_INO(24, ERROR, true, "dirent inode number"),
  DIRENT_NAME_LENGTH(25, ERROR, true, "dirent name length"),
  DIRENT_NAME(26, ERROR, false, "dirent name"),
  DIRENT_PADDING(27, ERROR, false, "dirent padding"),
  DUPLICATE_NAME(28, ERROR, false, "duplicate name"),
  DIRENT_MODE(29, ERROR, false, "dirent mode"),
  REACHED_ONCE(30, ERROR, false, "inode reached once"),
  ORPHAN(31, ERROR, false, "unreachable inode"),
  SYMLINK_TERMINATED(32, ERROR, true, "symlink NUL-terminated"),
  SYMLINK_TARGET(33, ERROR, false, "symlink target"),
  BRANCH_STATE(34, ERROR, false, "branch state"),
  BRANCH_NAME(35, ERROR, false, "branch name"),
  BRANCH_LOG_INSIDE(36, ERROR, false, "branch log inside the delta region"),
  BRANCH_LOG_OVERLAP(37, ERROR, false, "overlapping branch logs"),
  BRANCH_PARENT(38, ERROR, false, "branch parent"),
  BRANCH_DUPLICATE(39, WARNING, false, "duplicate active branch"),
  BRANCH_REFCOUNT(40, WARNING, false, "branch refcount"),
  ACTIVE_BRANCHES(41, WARNING, false, "active_branches"),
  NEXT_BRANCH_ID(42, WARNING, false, "next_branch_id"),
  NEXT_LOCAL_INO(43, WARNING, false, "next_local_ino"),
  ENTRY_FRAMING(44, ERROR, false, "delta entry framing"),
  ENTRY_TYPE(45, ERROR, false, "delta entry type"),
  ENTRY_PAYLOAD(46, ERROR, false, "delta entry payload"),
  ENTRY_NAME(47, ERROR, false, "delta entry name"),
  ENTRY_SIZE(48, ERROR, false, "delta entry size"),
  ENTRY_PARENT(49, ERROR, false, "entry parent"),
  ENTRY_NEW_INODE(50, ERROR, false, "new inode number"),
  ENTRY_NAME_EXISTS(51, ERROR, false, "name already exists"),
  ENTRY_SOURCE(52, ERROR, false, "delete or rename source"),
  ENTRY_TARGET(53, ERROR, false, "entry target"),
  SUPERBLOCK_TAIL(54, WARNING, false, "superblock zero tail"),
  STATIC_BRANCH_COUNTERS(55, WARNING, false, "branch counters of a static image"),
  BASE_SUPERBLOCK_TAIL(56, WARNING, false, "base superblock zero tail"),
  INODE_RESERVED(57, WARNING, false, "inode reserved bytes"),
  EMPTY_DIRECTORY_OFFSET(58, WARNING, false, "empty directory data_offset"),
  BRANCH_RESERVED(59, WARNING, false, "branch record reserved bytes"),
  FREE_RECORD(60, WARNING, false, "free branch record"),
  BYTES_IN_NO_REGION(61, WARNING, false, "bytes in no region");

  private final int number;
  private final Severity severity;
  private final boolean kernel;
  private final String title;

  Rule(int number, Severity severity, boolean kernel, String title) {
    this.number = number;
    this.severity = severity;
    this.kernel = kernel;
    this.title = title;
  }

  /** The number FORMAT.md gives this rule. */
  public int number() { return number; }

  public Severity severity() { return severity; }

  /** True when the v3 kernel's {@code validate} mount option refuses images that break it. */
  public boolean kernel() { return kernel; }

  public String title() { return title; }

  /** The rule FORMAT.md numbers {@code number}. */
  public static Rule numbered(int number) {
    for (Rule r : values()) {
      if (r.number == number) {
        return r;
      }
    }
    throw new IllegalArgumentException("FORMAT.md has no rule " + number);
  }
}
