package dev.daxfs.nativemem;

/** The errno values the targets explain to the user (the same on x86_64 and aarch64). */
public final class Errno {
  public static final int EPERM = 1;
  public static final int ENOENT = 2;
  static final int ESRCH = 3;
  public static final int ENXIO = 6;
  static final int EBADF = 9;
  public static final int EACCES = 13;
  public static final int EEXIST = 17;
  public static final int ENODEV = 19;
  public static final int EINVAL = 22;
  public static final int ENOTTY = 25;
  static final int ENOSYS = 38;
  static final int ENODATA = 61;

  private Errno() {}
}
