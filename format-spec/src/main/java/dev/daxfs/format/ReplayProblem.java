package dev.daxfs.format;

/**
 * Something in a branch's logs (or in the base it stands on) that does not have a POSIX meaning.
 * {@code at} is the absolute image offset of the entry (or record, or dirent), {@code type} the
 * branch slot whose log holds the entry or whose record it is (-1 for the base), {@code type} the
 * delta entry type (0 when the problem is not an entry's), {@code ino} the inode concerned (0 when
 * none). Replay reports it and goes on as {@link Kind} describes.
 */
public record ReplayProblem(long at, int slot, int type, long ino, Kind kind, String message) {

  /** What went wrong, and what replay did about it. */
  public enum Kind {
    /** The log cannot be decoded from here on (a FormatException); the rest of that log is skipped. */
    UNDECODABLE,
    /** A branch record's log lies outside the image; that log is skipped. */
    LOG_OUTSIDE_IMAGE,
    /** A parent_id matches no earlier non-free slot; the chain stops there. */
    PARENT_MISSING,
    /** The base image cannot be read; the view starts from an empty root. */
    BASE_UNREADABLE,
    /** A base inode or dirent cannot be read or is not usable; it is left out of the view. */
    BASE_ENTRY_UNREADABLE,
    /** An entry's parent inode is not in the view; the entry is skipped. */
    PARENT_NOT_FOUND,
    /** An entry's parent inode is not a directory; the entry is skipped. */
    PARENT_NOT_DIRECTORY,
    /** The inode an entry changes is not in the view; the entry is skipped. */
    INODE_NOT_FOUND,
    /** A create whose mode has directory or symlink type bits; it makes a regular file. */
    BAD_MODE,
    /** A write, truncate or size change on something that is not a regular file; skipped. */
    NOT_A_FILE,
    /** A name that is empty, longer than 128 bytes, ".", "..", or holds '/' or NUL; skipped. */
    BAD_NAME,
    /** A delete or rename names nothing in its parent; skipped. */
    NAME_NOT_FOUND,
    /** A create, mkdir or symlink over a name that exists; the name now means the new inode. */
    NAME_EXISTS,
    /** A new inode number 0; the entry is skipped. */
    INODE_ZERO,
    /** A new inode number that is a base inode's (the v3 kernel's main does this); it now means the new inode. */
    INODE_IS_BASE,
    /** A new inode number handed out before by the logs; it now means the new inode. */
    INODE_REUSED,
    /** The header or payload inode differs from the inode the name refers to; the name wins. */
    INODE_MISMATCH,
    /** A delete of a directory that still has entries; the name is removed (its tree with it). */
    DIRECTORY_NOT_EMPTY,
    /** A rename that POSIX refuses (directory into itself, type clash, non-empty target); skipped. */
    BAD_RENAME,
    /** A write ending, or a size lying, past 2^63-1; skipped. */
    SIZE_OVERFLOW
  }

  @Override public String toString() {
    return (slot < 0 ? "" : "branch slot " + slot + ": ") + (type == 0 ? "" : Format.deltaTypeName(type) + " ")
        + "at offset " + at
        + (ino == 0 ? "" : " (inode " + Long.toUnsignedString(ino) + ")") + ": " + message;
  }
}
