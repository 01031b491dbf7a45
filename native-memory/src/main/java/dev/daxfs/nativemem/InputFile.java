package dev.daxfs.nativemem;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;

/**
 * A file opened to be read, with what the kernel says it is (fstat of the open descriptor, so what
 * is checked is what is read). Opened with O_NONBLOCK: a FIFO put where a file was expected is
 * opened at once and refused, instead of blocking until some writer comes.
 */
public final class InputFile implements AutoCloseable {
  private final Fd fd;
  private final FileStat stat;

  private InputFile(Fd fd) throws SystemCallException {
    this.fd = fd;
    try {
      this.stat = LibC.fstat(fd.fd(), fd.target());
    } catch (SystemCallException e) {
      fd.close();
      throw e;
    }
  }

  /** The input is not the kind of file asked for; the message says what it is instead. */
  public static final class WrongTypeException extends IOException {
    private static final long serialVersionUID = 1L;
    private final FileType type;

    WrongTypeException(String path, FileType type, String wanted) {
      super(path + ": is a " + type.text() + ", not " + wanted);
      this.type = type;
    }

    public FileType type() { return type; }
  }

  /**
   * Opens {@code path} (following symlinks, as a command-line argument is meant) and requires a
   * regular file, or also a block device with {@code blockDevices}; {@code wanted} says what was
   * expected ("a key file"). NoSuchFileException when there is nothing there.
   */
  public static InputFile open(Path path, String wanted, boolean blockDevices) throws IOException {
    InputFile f;
    try {
      f = new InputFile(new Fd(LibC.open(path.toString(), LibC.O_RDONLY | LibC.O_NONBLOCK | LibC.O_CLOEXEC),
          path.toString()));
    } catch (SystemCallException e) {
      if (e.errno() == Errno.ENOENT) {
        throw new NoSuchFileException(path.toString());
      }
      // open(2) of a socket fails with ENXIO: say what it is rather than "no such device or address".
      if (e.errno() == Errno.ENXIO && Files.readAttributes(path, "unix:mode").get("mode") instanceof Integer mode
          && FileType.of(mode) != FileType.REGULAR) {
        throw new WrongTypeException(path.toString(), FileType.of(mode), wanted);
      }
      throw e;
    }
    FileType type = f.type();
    if (type != FileType.REGULAR && !(blockDevices && type == FileType.BLOCK_DEVICE)) {
      f.close();
      throw new WrongTypeException(path.toString(), type, wanted);
    }
    return f;
  }

  /**
   * Opens {@code path} as a stream is opened (following symlinks, blocking: a FIFO waits for its
   * writer), whatever kind of file it is; {@link #type()} says which, so a caller can read a
   * regular file in place and anything else as a stream. NoSuchFileException when nothing is there.
   */
  public static InputFile openWaiting(Path path) throws IOException {
    try {
      return new InputFile(new Fd(LibC.open(path.toString(), LibC.O_RDONLY | LibC.O_CLOEXEC), path.toString()));
    } catch (SystemCallException e) {
      if (e.errno() == Errno.ENOENT) {
        throw new NoSuchFileException(path.toString());
      }
      if (e.errno() == Errno.EACCES) {
        throw new java.nio.file.AccessDeniedException(path.toString());
      }
      throw e;
    }
  }

  /** Opens {@code name} in the directory {@code dirfd} without following a symlink and without blocking. */
  static InputFile openAt(int dirfd, byte[] name, String target) throws SystemCallException {
    int fd = LibC.openat(dirfd, name, LibC.O_RDONLY | LibC.O_NONBLOCK | LibC.O_NOFOLLOW | LibC.O_CLOEXEC, 0,
        target);
    return new InputFile(new Fd(fd, target));
  }

  public FileType type() { return stat.type(); }

  public long device() { return stat.dev(); }

  public long inode() { return stat.ino(); }

  /** The size: st_size for a regular file, the device's size (BLKGETSIZE64) for a block device. */
  public long size() throws SystemCallException {
    if (type() != FileType.BLOCK_DEVICE) {
      return stat.size();
    }
    try (Arena arena = Arena.ofConfined()) {
      MemorySegment size = arena.allocate(ValueLayout.JAVA_LONG);
      LibC.ioctl(fd.fd(), LibC.BLKGETSIZE64, size, "BLKGETSIZE64", fd.target());
      return size.get(ValueLayout.JAVA_LONG, 0);
    }
  }

  /** Maps all of it read-only (an empty file gives an empty segment); the mapping outlives this descriptor. */
  public MappedMemory map() throws SystemCallException {
    long size = size();
    if (size == 0) {
      return MappedMemory.empty(fd.target());
    }
    return MappedMemory.map(fd, fd.target(), 0, size, false);
  }

  /**
   * Reads from the start until the end of the file or {@code max} + 1 bytes, whichever comes
   * first: the bytes actually read bound the work, whatever the size says (a device says 0).
   */
  public byte[] readAtMost(int max) throws SystemCallException {
    try (Arena arena = Arena.ofConfined()) {
      MemorySegment buffer = arena.allocate(max + 1L);
      long done = 0;
      while (done < buffer.byteSize()) {
        long n = LibC.pread(fd.fd(), buffer.asSlice(done), done, fd.target());
        if (n == 0) {
          break;
        }
        done += n;
      }
      return Arrays.copyOf(buffer.asSlice(0, done).toArray(ValueLayout.JAVA_BYTE), (int) done);
    }
  }

  /**
   * The first offset at or after {@code from} that holds data (lseek SEEK_DATA), or {@code end}
   * when only a hole follows; a file system without holes says every offset holds data. A file
   * that no longer reaches {@code end} (truncated meanwhile) says {@code from}: the read of it
   * meets the truncation as every other read of the mapping does.
   */
  public long nextData(long from, long end) throws SystemCallException {
    return fd.nextData(from, end);
  }

  /** The first offset at or after {@code from} in a hole (lseek SEEK_HOLE; the end of the file is one), at most {@code end}. */
  public long nextHole(long from, long end) throws SystemCallException {
    return fd.nextHole(from, end);
  }

  /** Reads into {@code buffer} (native memory) from {@code offset}; 0 at the end of the file. */
  public long read(MemorySegment buffer, long offset) throws SystemCallException {
    return LibC.pread(fd.fd(), buffer, offset, fd.target());
  }

  /**
   * Reads into {@code buffer} (native memory) from where the descriptor stands, as a pipe or FIFO
   * is read (they have no offsets, and cannot be opened again once their writer is gone); 0 at the end.
   */
  public long read(MemorySegment buffer) throws SystemCallException {
    return LibC.read(fd.fd(), buffer, fd.target());
  }

  /**
   * A FileChannel on this very file (through /proc/self/fd, which names the open file, not a
   * path), for what only a channel offers: the kernel's copy between two files.
   */
  public FileChannel channel() throws IOException {
    return FileChannel.open(Path.of("/proc/self/fd/" + fd.fd()), StandardOpenOption.READ);
  }

  /** The descriptor's path in messages. */
  public String target() { return fd.target(); }

  @Override public void close() throws SystemCallException {
    fd.close();
  }
}
