package dev.daxfs.mkfs;

/**
 * The PAX records mkdaxfs uses, resolved: path and linkpath bytes (null when not set), size, uid
 * and gid (-1 when not set), and whether any GNU sparse record appeared.
 */
record PaxValues(byte[] path, byte[] linkpath, long size, long uid, long gid, boolean sparse) {
  static final PaxValues NONE = new PaxValues(null, null, -1, -1, -1, false);
}
