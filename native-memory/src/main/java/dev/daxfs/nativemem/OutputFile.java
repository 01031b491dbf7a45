package dev.daxfs.nativemem;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;

/**
 * A file that replaces OUTPUT whole, or not at all: every tool writes its files this way.
 *
 * <ul>
 *   <li>A symlink given as OUTPUT is written through: the file it names is replaced, the link stays.
 *   <li>An existing OUTPUT that is not a regular file (device, FIFO, socket, directory) is refused:
 *       renaming over it would replace the node, not write what it stands for.
 *   <li>The data goes to an unnamed O_TMPFILE in the target's directory; only when complete (and
 *       synced) is it linked to a temporary name and renamed over the target, which keeps the
 *       replacement atomic. Killed before, even by SIGKILL, it leaves nothing: it never had a name.
 *   <li>Where the file system refuses O_TMPFILE, a hidden named temporary file stands in, deleted on
 *       failure and on SIGINT, SIGTERM and SIGHUP ({@link Interruption}).
 * </ul>
 */
public final class OutputFile implements AutoCloseable {
  /** Forces the named fallback (tests of it on file systems that have O_TMPFILE). */
  static boolean noTmpfile = Boolean.getBoolean("dev.daxfs.output.named");

  private static final int MAX_LINKS = 40;

  private final Path target;
  private final Fd fd;
  private final FileChannel channel;
  /** The fallback's name; null for an O_TMPFILE. */
  private final Path named;
  private boolean committed;

  private OutputFile(Path target, Fd fd, FileChannel channel, Path named) {
    this.target = target;
    this.fd = fd;
    this.channel = channel;
    this.named = named;
  }

  /**
   * The file writing {@code output} replaces: {@code output} itself, or the file its symlinks
   * name (which need not exist). Raises an IOException naming the path when that exists and is not
   * a regular file, or its directory does not exist; for an empty path, IllegalArgumentException.
   */
  public static Path resolve(Path output) throws IOException {
    if (output.toString().isEmpty()) {
      throw new IllegalArgumentException("the output path is empty");
    }
    Path p = output.toAbsolutePath();
    for (int hops = 0; Files.isSymbolicLink(p); hops++) {
      if (hops == MAX_LINKS) {
        throw new IOException(output + ": too many levels of symbolic links");
      }
      p = p.resolveSibling(Files.readSymbolicLink(p)).normalize();
    }
    Map<String, Object> a;
    try {
      a = Files.readAttributes(p, "unix:mode", LinkOption.NOFOLLOW_LINKS);
    } catch (NoSuchFileException e) {
      return writableDirectory(output, p);
    }
    String kind = kind((Integer) a.get("mode"));
    if (kind != null) {
      String name = p.getFileName() == null ? "" : p.getFileName().toString();
      String hint = kind.contains("device") && (name.startsWith("dax") || name.startsWith("pmem"))
          ? "; to write the image into this device's memory, use mkdaxfs --devdax " + shown(output, p) : "";
      String link = p.equals(output.toAbsolutePath()) ? "" : "symlink to " + shown(output, p) + ", a ";
      throw new IOException(output + ": is a " + link + kind + ", not a regular file; refusing to replace it" + hint);
    }
    return writableDirectory(output, p);
  }

  private static Path writableDirectory(Path output, Path p) throws IOException {
    Path dir = p.getParent();
    if (dir == null || !Files.isDirectory(dir)) {
      throw new IOException(output + ": no such directory " + shown(output, p).getParent());
    }
    if (!Files.isWritable(dir)) {
      throw new IOException(output + ": permission denied: cannot create files in " + shown(output, p).getParent());
    }
    return p;
  }

  /** How messages name {@code p}: as the user wrote it, else relative to the working directory when under it. */
  private static Path shown(Path output, Path p) {
    if (p.equals(output.toAbsolutePath())) {
      return output.getParent() != null ? output : Path.of(".").resolve(output);
    }
    Path cwd = Path.of("").toAbsolutePath();
    return p.startsWith(cwd) ? cwd.relativize(p) : p;
  }

  /** The message of an exception raised about {@code output}, without the leading "OUTPUT: ". */
  public static String reason(IOException e, Path output) {
    String m = String.valueOf(e.getMessage());
    return m.startsWith(output + ": ") ? m.substring(output.toString().length() + 2) : m;
  }

  /** What a non-regular file is, or null for a regular file. */
  private static String kind(int mode) {
    return switch (mode & 0xf000) {
      case 0x8000 -> null;
      case 0x4000 -> "directory";
      case 0x2000 -> "character device";
      case 0x6000 -> "block device";
      case 0x1000 -> "FIFO";
      case 0xc000 -> "socket";
      default -> "special file (mode " + Integer.toOctalString(mode) + ")";
    };
  }

  /** A new file with permission bits {@code mode} (the umask does not apply) that will replace {@code output}. */
  public static OutputFile create(Path output, int mode) throws IOException {
    OutputFile f = open(resolve(output));
    try {
      LibC.fchmod(f.fd.fd(), mode, f.fd.target());
      return f;
    } catch (IOException | RuntimeException e) {
      f.close();
      throw e;
    }
  }

  /**
   * A new file that will replace the existing regular file {@code existing} (or the file its
   * symlink names) with the same owner, group and permission bits: an in-place rewrite.
   */
  public static OutputFile rewrite(Path existing) throws IOException {
    Path target = resolve(existing);
    Map<String, Object> a = Files.readAttributes(target, "unix:mode,uid,gid", LinkOption.NOFOLLOW_LINKS);
    OutputFile f = open(target);
    try {
      FileStat mine = LibC.fstat(f.fd.fd(), f.fd.target());
      int uid = (Integer) a.get("uid");
      int gid = (Integer) a.get("gid");
      if (mine.uid() != uid || mine.gid() != gid) {
        try {
          LibC.fchown(f.fd.fd(), uid, gid, f.fd.target());
        } catch (SystemCallException e) {
          throw new IOException(existing + ": cannot keep its owner " + uid + ":" + gid + " in the rewritten file ("
              + e.getMessage() + "); run as its owner or as root", e);
        }
      }
      // After fchown, which may clear the set-id bits.
      LibC.fchmod(f.fd.fd(), (Integer) a.get("mode") & 07777, f.fd.target());
      return f;
    } catch (IOException | RuntimeException e) {
      f.close();
      throw e;
    }
  }

  private static OutputFile open(Path target) throws IOException {
    Interruption.install();
    Path dir = target.getParent();
    Fd unnamed = noTmpfile ? null : UnnamedFile.descriptor(dir, LibC.O_TMPFILE | LibC.O_RDWR | LibC.O_CLOEXEC,
        dir + " (O_TMPFILE for " + target.getFileName() + ")");
    if (unnamed != null) {
      return withChannel(target, unnamed, null);
    }
    while (true) {
      Path tmp = temporaryName(target);
      Interruption.remember(tmp);
      try {
        int n = LibC.open(BytePath.of(tmp).bytes(),
            LibC.O_RDWR | LibC.O_CREAT | LibC.O_EXCL | LibC.O_NOFOLLOW | LibC.O_CLOEXEC, 0600, tmp.toString());
        return withChannel(target, new Fd(n, tmp.toString()), tmp);
      } catch (SystemCallException e) {
        Interruption.forget(tmp);
        if (e.errno() != Errno.EEXIST) {
          throw e;
        }
      }
    }
  }

  private static OutputFile withChannel(Path target, Fd fd, Path named) throws IOException {
    try {
      // The descriptor's own link in /proc reopens this very file (an O_TMPFILE has no other name).
      FileChannel ch = FileChannel.open(Path.of("/proc/self/fd/" + fd.fd()), StandardOpenOption.READ,
          StandardOpenOption.WRITE);
      return new OutputFile(target, fd, ch, named);
    } catch (IOException | RuntimeException e) {
      fd.close();
      if (named != null) {
        Files.deleteIfExists(named);
        Interruption.forget(named);
      }
      throw e;
    }
  }

  private static Path temporaryName(Path target) {
    return target.resolveSibling("." + target.getFileName() + "."
        + Long.toHexString(ThreadLocalRandom.current().nextLong() & Long.MAX_VALUE) + ".tmp");
  }

  /** Where the data goes: read and write, at any position. */
  public FileChannel channel() { return channel; }

  /**
   * The first offset at or after {@code from} that holds data, or {@code end} (lseek SEEK_DATA, as
   * {@link InputFile#nextData}): reading back what was written can skip the holes left unwritten.
   */
  public long nextData(long from, long end) throws SystemCallException { return fd.nextData(from, end); }

  /** The first offset at or after {@code from} in a hole, at most {@code end} (lseek SEEK_HOLE). */
  public long nextHole(long from, long end) throws SystemCallException { return fd.nextHole(from, end); }

  /** The file this replaces (a symlink's target, not the link). */
  public Path target() { return target; }

  /**
   * Syncs the data and gives it the target's name, atomically replacing what was there. Refuses
   * when the target has become something other than a regular file meanwhile, and after an
   * interruption has begun.
   */
  public void commit() throws IOException {
    channel.force(false);
    Interruption.naming(() -> {
      resolve(target);
      if (named != null) {
        Files.move(named, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        Interruption.forget(named);
      } else {
        link();
      }
      committed = true;
    });
    close();
  }

  /** Links the O_TMPFILE to a temporary name and renames that over the target (linkat cannot replace). */
  private void link() throws IOException {
    while (true) {
      Path tmp = temporaryName(target);
      Interruption.remember(tmp);
      try {
        LibC.linkat("/proc/self/fd/" + fd.fd(), BytePath.of(tmp).bytes(), LibC.AT_SYMLINK_FOLLOW, tmp.toString());
      } catch (SystemCallException e) {
        Interruption.forget(tmp);
        if (e.errno() == Errno.EEXIST) {
          continue;
        }
        throw e;
      }
      try {
        Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
      } finally {
        Files.deleteIfExists(tmp);
        Interruption.forget(tmp);
      }
      return;
    }
  }

  /** Without {@link #commit}: drops the data, leaving the target as it was. */
  @Override public void close() throws IOException {
    try {
      channel.close();
      fd.close();
    } finally {
      if (named != null && !committed) {
        Files.deleteIfExists(named);
        Interruption.forget(named);
      }
    }
  }
}
