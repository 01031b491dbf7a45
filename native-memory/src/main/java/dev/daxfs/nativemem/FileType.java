package dev.daxfs.nativemem;

/** What a file is (the type bits of st_mode), in the words messages use. */
public enum FileType {
  REGULAR("regular file"),
  DIRECTORY("directory"),
  SYMLINK("symlink"),
  FIFO("FIFO"),
  SOCKET("socket"),
  CHARACTER_DEVICE("character device"),
  BLOCK_DEVICE("block device"),
  UNKNOWN("file of unknown type");

  private final String text;

  FileType(String text) {
    this.text = text;
  }

  /** "regular file", "FIFO", ...: what "is a" precedes in a message. */
  public String text() { return text; }

  static FileType of(int mode) {
    int type = mode & LibC.S_IFMT;
    for (FileType t : values()) {
      if (t != UNKNOWN && type == t.bits()) {
        return t;
      }
    }
    return UNKNOWN;
  }

  private int bits() {
    return switch (this) {
      case REGULAR -> LibC.S_IFREG;
      case DIRECTORY -> LibC.S_IFDIR;
      case SYMLINK -> LibC.S_IFLNK;
      case FIFO -> LibC.S_IFIFO;
      case SOCKET -> LibC.S_IFSOCK;
      case CHARACTER_DEVICE -> LibC.S_IFCHR;
      case BLOCK_DEVICE -> LibC.S_IFBLK;
      case UNKNOWN -> -1;
    };
  }
}
