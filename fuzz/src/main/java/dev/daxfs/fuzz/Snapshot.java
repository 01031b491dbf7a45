package dev.daxfs.fuzz;

import java.util.Map;

/**
 * What a full walk of one view showed: for each path (names as raw bytes read as ISO-8859-1, so
 * any byte string round-trips), the inode as stat, read and readlink give it.
 */
public record Snapshot(String label, Map<String, Seen> paths) {

  /** One object. {@code sha256} is the content hash of a regular file; {@code target} a symlink's. */
  public record Seen(long ino, int mode, long uid, long gid, long size, String sha256, String target) {}
}
