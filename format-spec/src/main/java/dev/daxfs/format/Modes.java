package dev.daxfs.format;

/** st_mode as ls and stat show it. */
public final class Modes {
  private Modes() {}

  /** "drwxr-xr-x", with s/S and t/T for the setuid, setgid and sticky bits as ls shows them. */
  public static String string(int mode) {
    StringBuilder sb = new StringBuilder(10).append(switch (mode & Format.S_IFMT) {
      case Format.S_IFDIR -> 'd';
      case Format.S_IFLNK -> 'l';
      case Format.S_IFREG -> '-';
      case Format.S_IFCHR -> 'c';
      case Format.S_IFBLK -> 'b';
      case Format.S_IFIFO -> 'p';
      case Format.S_IFSOCK -> 's';
      default -> '?';
    });
    String rwx = "rwxrwxrwx";
    for (int i = 0; i < 9; i++) {
      sb.append((mode & (1 << (8 - i))) != 0 ? rwx.charAt(i) : '-');
    }
    special(sb, 3, (mode & 04000) != 0, 's');
    special(sb, 6, (mode & 02000) != 0, 's');
    special(sb, 9, (mode & 01000) != 0, 't');
    return sb.toString();
  }

  private static void special(StringBuilder sb, int at, boolean set, char c) {
    if (set) {
      sb.setCharAt(at, sb.charAt(at) == '-' ? Character.toUpperCase(c) : c);
    }
  }

  public static String type(int mode) {
    return switch (mode & Format.S_IFMT) {
      case Format.S_IFDIR -> "directory";
      case Format.S_IFLNK -> "symbolic link";
      case Format.S_IFREG -> "regular file";
      case Format.S_IFCHR -> "character device";
      case Format.S_IFBLK -> "block device";
      case Format.S_IFIFO -> "fifo";
      case Format.S_IFSOCK -> "socket";
      default -> "unknown type";
    };
  }

  public static String octal(int mode) { return String.format("%04o", mode & 07777); }
}
