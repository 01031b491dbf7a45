package dev.daxfs.fuzz;

/**
 * Something the v3 kernel would do wrong with an image: crash, loop, fail a read of a listed
 * entry, show a name the VFS cannot use, or show or write the wrong bytes. {@code offset} is the
 * absolute image offset involved, or -1 when the problem is not at one place.
 */
public record Hazard(Kind kind, long offset, String detail) {

  /** What would go wrong. */
  public enum Kind {
    /** A read or write outside the mapped image (an oops, or a NULL pointer from daxfs_mem_ptr). */
    OUT_OF_BOUNDS,
    /** A read inside the mapping but outside the structure it belongs to (wrong bytes, no crash). */
    OUTSIDE_REGION,
    /** A walk that would not end (a parent chain that loops, a directory inside itself). */
    UNBOUNDED_WALK,
    /** A directory reachable under two names: the dcache refuses the second (EIO/ELOOP). */
    DIRECTORY_ALIAS,
    /** An operation on a listed entry that fails (ENOENT, EIO, short read, ENOSPC at mount). */
    IO_ERROR,
    /** The mount itself is refused with the validate option. */
    MOUNT_REFUSED,
    /** A name the VFS refuses or cannot reach: empty, '.', '..', with '/' or NUL. */
    REFUSED_NAME,
    /** Two entries with one name in one directory: lookup finds only the first. */
    DUPLICATE_NAME,
    /** Two objects given one inode number: one shows the other's content. */
    INODE_COLLISION,
    /** Data that overlaps other data or metadata in a way no writer intends. */
    OVERLAPPING_EXTENTS,
    /** Bytes that decode but say something the kernel shows wrongly (type, mode, size, root). */
    WRONG_CONTENT,
    /** A write at mount (or later into a carved log) outside the branch table or delta region. */
    WRITE_OUTSIDE_DELTA,
    /** A persisted delta entry that cannot be replayed in its POSIX sense. */
    BAD_LOG_ENTRY
  }

  @Override public String toString() {
    return kind + (offset >= 0 ? " at " + offset : "") + ": " + detail;
  }
}
