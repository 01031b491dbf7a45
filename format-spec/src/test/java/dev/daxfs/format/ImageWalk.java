package dev.daxfs.format;

/**
 * Visits everything a reader can reach in an image: every inode of the table, every dirent of
 * every directory (and the inode it names), every file's and symlink's bytes, every entry of every
 * used branch's log. Each part that raises FormatException is skipped, so one damaged structure
 * does not hide the others; anything else propagates. Returns the number of inodes, dirents and
 * log entries visited.
 */
public final class ImageWalk {
  private ImageWalk() {}

  /** An upper bound of {@link #walk}'s count for an image of {@code size} bytes. */
  public static long bound(long size) {
    long inodes = size / Format.INODE_SIZE + 1;
    return inodes * (size / Format.DIRENT_SIZE + 2) + Format.MAX_BRANCHES * (size / Format.DELTA_HEADER_SIZE + 1);
  }

  public static long walk(ImageBytes bytes) {
    Image image = Image.open(bytes);
    long visits = 0;
    try {
      image.requireV3();
    } catch (FormatException e) {
      // keep going: the rest must still be safe to read
    }
    try {
      visits += walkBase(image.base());
    } catch (FormatException e) {
      // no readable base
    }
    try {
      for (BranchRecord r : image.branchTable().used()) {
        try {
          for (DeltaEntry e : image.deltaLog(r)) {
            visits++;
          }
        } catch (FormatException e) {
          // this log ends here
        }
      }
    } catch (FormatException e) {
      // no readable branch table
    }
    return visits;
  }

  private static long walkBase(BaseImage base) {
    long visits = 0;
    for (long ino = 1; ino <= base.inodeCount(); ino++) {
      Inode n;
      try {
        n = base.inode(ino);
      } catch (FormatException e) {
        break;   // the rest of the table lies outside too
      }
      visits++;
      try {
        if (n.isDirectory()) {
          DirentArray d = base.dirents(n);
          for (long i = 0; i < d.count(); i++) {
            Dirent de = d.get(i);
            visits++;
            try {
              base.inode(Integer.toUnsignedLong(de.ino()));
            } catch (FormatException e) {
              // a dirent naming no inode
            }
          }
        } else if (n.isSymlink()) {
          base.symlinkTarget(n);
        } else {
          base.data(n).byteSize();
        }
      } catch (FormatException e) {
        // this inode's data is unreadable
      }
    }
    return visits;
  }
}
