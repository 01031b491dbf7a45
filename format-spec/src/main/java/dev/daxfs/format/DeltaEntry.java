package dev.daxfs.format;

/**
 * One decoded delta log entry. Every entry knows its absolute offset {@code at}, its header's
 * total_size, inode and timestamp. Names and targets are raw bytes (Linux names are bytes);
 * write data is not copied: {@link Write#dataAt} is its absolute offset.
 */
public sealed interface DeltaEntry {
  long at();
  int totalSize();
  long ino();
  long timestamp();
  int type();

  default String typeName() { return Format.deltaTypeName(type()); }

  record Write(long at, int totalSize, long ino, long timestamp, long offset, long length, int flags, long dataAt)
      implements DeltaEntry {
    public int type() { return Format.DELTA_WRITE; }
  }

  record Create(long at, int totalSize, long ino, long timestamp, long parentIno, long newIno, int mode,
      int flags, byte[] name) implements DeltaEntry {
    public int type() { return Format.DELTA_CREATE; }
  }

  record Mkdir(long at, int totalSize, long ino, long timestamp, long parentIno, long newIno, int mode,
      int flags, byte[] name) implements DeltaEntry {
    public int type() { return Format.DELTA_MKDIR; }
  }

  record Delete(long at, int totalSize, long ino, long timestamp, long parentIno, int flags, byte[] name)
      implements DeltaEntry {
    public int type() { return Format.DELTA_DELETE; }
  }

  record Truncate(long at, int totalSize, long ino, long timestamp, long newSize) implements DeltaEntry {
    public int type() { return Format.DELTA_TRUNCATE; }
  }

  record Rename(long at, int totalSize, long ino, long timestamp, long oldParent, long newParent,
      long renamedIno, byte[] oldName, byte[] newName) implements DeltaEntry {
    public int type() { return Format.DELTA_RENAME; }
  }

  record SetAttr(long at, int totalSize, long ino, long timestamp, int mode, int uid, int gid, int valid,
      long size) implements DeltaEntry {
    public int type() { return Format.DELTA_SETATTR; }
  }

  record Symlink(long at, int totalSize, long ino, long timestamp, long parentIno, long newIno, byte[] name,
      byte[] target) implements DeltaEntry {
    public int type() { return Format.DELTA_SYMLINK; }
  }
}
