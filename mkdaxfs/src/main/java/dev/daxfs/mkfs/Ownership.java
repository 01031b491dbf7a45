package dev.daxfs.mkfs;

/**
 * The owner stored for every inode: the source's, or forced (--all-root, --force-uid,
 * --force-gid). A negative forced id means "keep the source's".
 */
record Ownership(int forcedUid, int forcedGid) {
  static final Ownership KEEP = new Ownership(-1, -1);

  static Ownership of(boolean allRoot, Integer uid, Integer gid) {
    return new Ownership(uid != null ? uid : allRoot ? 0 : -1, gid != null ? gid : allRoot ? 0 : -1);
  }

  int uid(int sourceUid) { return forcedUid >= 0 ? forcedUid : sourceUid; }

  int gid(int sourceGid) { return forcedGid >= 0 ? forcedGid : sourceGid; }
}
