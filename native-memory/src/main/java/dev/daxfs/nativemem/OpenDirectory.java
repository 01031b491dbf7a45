package dev.daxfs.nativemem;

import dev.daxfs.format.Names;

/**
 * A directory held open, and every step below it taken relative to it (openat, mkdirat,
 * symlinkat, fchownat), never through a symlink: once a directory is open, swapping it (or
 * anything on the path to it) for a symlink cannot send a later step elsewhere. Names are one
 * component, as bytes. Every failure names the call and the path.
 */
public final class OpenDirectory implements AutoCloseable {
  private final Fd fd;

  private OpenDirectory(Fd fd) {
    this.fd = fd;
  }

  /** Opens {@code path} as a directory; its last component must not be a symlink. */
  public static OpenDirectory open(BytePath path) throws SystemCallException {
    return new OpenDirectory(new Fd(LibC.open(path.bytes(), LibC.O_RDONLY | LibC.O_DIRECTORY | LibC.O_NOFOLLOW
        | LibC.O_CLOEXEC, 0, path.toString()), path.toString()));
  }

  /** The subdirectory {@code name}; a symlink or anything but a directory there fails (ELOOP, ENOTDIR). */
  public OpenDirectory directory(byte[] name) throws SystemCallException {
    String target = child(name);
    return new OpenDirectory(new Fd(LibC.openat(fd.fd(), name, LibC.O_RDONLY | LibC.O_DIRECTORY | LibC.O_NOFOLLOW
        | LibC.O_CLOEXEC, 0, target), target));
  }

  /**
   * This directory's parent, reopened through "..", which must still be the directory with
   * the {@code expected} identity (what was open before): a deep walk closes the descriptors of
   * directories far above it and comes back up this way. {@code path} names it in messages.
   */
  public OpenDirectory parent(Identity expected, String path) throws java.io.IOException {
    OpenDirectory up = new OpenDirectory(new Fd(LibC.openat(fd.fd(), new byte[] {'.', '.'}, LibC.O_RDONLY
        | LibC.O_DIRECTORY | LibC.O_NOFOLLOW | LibC.O_CLOEXEC, 0, path), path));
    if (!up.is(expected.device(), expected.inode())) {
      up.close();
      throw new java.io.IOException(fd.target() + ": moved elsewhere while it was being written (its parent is no"
          + " longer " + path + "); stopped");
    }
    return up;
  }

  /** Device and inode of a directory: what makes it the same directory when it is opened again. */
  public record Identity(long device, long inode) {}

  public Identity identity() throws SystemCallException {
    FileStat st = LibC.fstat(fd.fd(), fd.target());
    return new Identity(st.dev(), st.ino());
  }

  /** The file {@code name}, opened to read without following a symlink and without blocking (see InputFile). */
  public InputFile openFile(byte[] name) throws SystemCallException {
    return InputFile.openAt(fd.fd(), name, child(name));
  }

  public void mkdir(byte[] name, int mode) throws SystemCallException {
    LibC.mkdirat(fd.fd(), name, mode, child(name));
  }

  public void symlink(byte[] name, byte[] linkTarget) throws SystemCallException {
    LibC.symlinkat(linkTarget, fd.fd(), name, child(name));
  }

  /** Creates a new file, never an existing one and never through a symlink, readable by its owner only. */
  public BytePath.NewFile create(byte[] name) throws SystemCallException {
    String target = child(name);
    int file = LibC.openat(fd.fd(), name, LibC.O_WRONLY | LibC.O_CREAT | LibC.O_EXCL | LibC.O_NOFOLLOW
        | LibC.O_CLOEXEC, 0600, target);
    return new BytePath.NewFile(new Fd(file, target));
  }

  /** Sets the owner of the entry {@code name} itself, a symlink included. */
  public void lchown(byte[] name, int uid, int gid) throws SystemCallException {
    LibC.lchownat(fd.fd(), name, uid, gid, child(name));
  }

  /** Sets this directory's permission bits (on the descriptor: no path is looked up). */
  public void chmod(int mode) throws SystemCallException {
    LibC.fchmod(fd.fd(), mode, fd.target());
  }

  public void chown(int uid, int gid) throws SystemCallException {
    LibC.fchown(fd.fd(), uid, gid, fd.target());
  }

  /** The owner's uid, as the kernel has it now. */
  public int uid() throws SystemCallException {
    return LibC.fstat(fd.fd(), fd.target()).uid();
  }

  /** Whether this is the directory with {@code device} and {@code inode} (what a scan saw). */
  public boolean is(long device, long inode) throws SystemCallException {
    FileStat st = LibC.fstat(fd.fd(), fd.target());
    return st.dev() == device && st.ino() == inode;
  }

  /** The path of {@code name} in this directory, for messages. */
  public String child(byte[] name) {
    return fd.target() + "/" + Names.text(name);
  }

  @Override public String toString() { return fd.target(); }

  @Override public void close() throws SystemCallException {
    fd.close();
  }
}
