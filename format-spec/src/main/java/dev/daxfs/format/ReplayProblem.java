package dev.daxfs.format;

/**
 * Something in a branch's logs (or in the base it stands on) that does not have a POSIX meaning.
 * {@code at} is the absolute image offset of the entry (or record, or dirent), {@code type} the
 * branch slot whose log holds the entry or whose record it is (-1 for the base), {@code type} the
 * delta entry type (0 when the problem is not an entry's), {@code ino} the inode concerned (0 when
 * none). Replay reports it and goes on as {@link Kind} describes.
 */
public record ReplayProblem(long at, int slot, int type, long ino, Kind kind, String message) {

  /**
   * What went wrong, and what replay did about it. Each kind carries the number of the FORMAT.md
   * validity rule it breaks ({@link #rule(int)}); {@code replayRule} marks the kinds daxfs-fsck
   * reports through the replay (rules 49-53); the others are the decoder's and the base checks' to
   * report (rule 0: one of the base rules 10-33, whichever the base check finds).
   */
  public enum Kind {
    /** The log cannot be decoded from here on (a FormatException); the rest of that log is skipped. */
    UNDECODABLE(44, false),
    /** A branch record's log lies outside the image; that log is skipped. */
    LOG_OUTSIDE_IMAGE(36, false),
    /** A parent_id matches no earlier non-free slot; the chain stops there. */
    PARENT_MISSING(38, false),
    /** The base image cannot be read; the view starts from an empty root. */
    BASE_UNREADABLE(0, false),
    /** A base inode or dirent cannot be read or is not usable; it is left out of the view. */
    BASE_ENTRY_UNREADABLE(0, false),
    /** An entry's parent inode is not in the view; the entry is skipped. */
    PARENT_NOT_FOUND(49, true),
    /** An entry's parent inode is not a directory; the entry is skipped. */
    PARENT_NOT_DIRECTORY(49, true),
    /** The inode an entry changes is not in the view; the entry is skipped. */
    INODE_NOT_FOUND(53, 52, true),
    /** A create whose mode has directory or symlink type bits; it makes a regular file. */
    BAD_MODE(47, false),
    /** A write, truncate or size change on something that is not a regular file; skipped. */
    NOT_A_FILE(53, true),
    /** A name that is empty, longer than 128 bytes, ".", "..", or holds '/' or NUL; skipped. */
    BAD_NAME(47, false),
    /** A delete or rename names nothing in its parent; skipped. */
    NAME_NOT_FOUND(52, true),
    /** A create, mkdir or symlink over a name that exists; the name now means the new inode. */
    NAME_EXISTS(51, true),
    /** A new inode number 0; the entry is skipped. */
    INODE_ZERO(50, true),
    /** A new inode number that is a base inode's (the v3 kernel's main does this); it now means the new inode. */
    INODE_IS_BASE(50, true),
    /** A new inode number handed out before by the logs; it now means the new inode. */
    INODE_REUSED(50, true),
    /** The header or payload inode differs from the inode the name refers to; the name wins. */
    INODE_MISMATCH(50, 52, true),
    /** A delete of a directory that still has entries; the name is removed (its tree with it). */
    DIRECTORY_NOT_EMPTY(52, true),
    /** A rename that POSIX refuses (directory into itself, type clash, non-empty target); skipped. */
    BAD_RENAME(52, true),
    /** A write ending, or a size lying, past 2^63-1; skipped. */
    SIZE_OVERFLOW(48, false);

    private final int rule;
    private final int sourceRule;
    private final boolean replayRule;

    Kind(int rule, boolean replayRule) {
      this(rule, rule, replayRule);
    }

    Kind(int rule, int sourceRule, boolean replayRule) {
      this.rule = rule;
      this.sourceRule = sourceRule;
      this.replayRule = replayRule;
    }

    /**
     * The FORMAT.md rule number this problem breaks in an entry of {@code entryType}: a DELETE's or
     * RENAME's inode problems are about its source name (rule 52).
     */
    public int rule(int entryType) {
      return entryType == Format.DELTA_DELETE || entryType == Format.DELTA_RENAME ? sourceRule : rule;
    }

    /** True for the kinds daxfs-fsck reports through the replay (rules 49-53). */
    public boolean replayRule() { return replayRule; }
  }

  @Override public String toString() {
    return (slot < 0 ? "" : "branch slot " + slot + ": ") + (type == 0 ? "" : Format.deltaTypeName(type) + " ")
        + "at offset " + at
        + (ino == 0 ? "" : " (inode " + Long.toUnsignedString(ino) + ")") + ": " + message;
  }
}
