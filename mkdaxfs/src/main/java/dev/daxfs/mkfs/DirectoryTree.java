package dev.daxfs.mkfs;

import dev.daxfs.format.Content;
import dev.daxfs.format.Format;
import dev.daxfs.nativemem.BytePath;
import dev.daxfs.nativemem.Errno;
import dev.daxfs.nativemem.Interruption;
import dev.daxfs.nativemem.SystemCallException;
import dev.daxfs.format.Node;
import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletionService;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorCompletionService;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * Reads a directory tree into nodes without following symlinks. Directories are listed and their
 * entries stat'ed by a small thread pool (stat is most of the cost of a scan); the result does not
 * depend on the order the threads finish in, since the layout sorts names. Hard-linked files get
 * one shared Content, so the layout gives them one extent.
 */
final class DirectoryTree {
  private static final String ATTRS = "unix:mode,uid,gid,size,nlink,ino,dev";

  private final Ownership owners;
  private final SpecialFiles specials;
  private final int threads;
  private final ScanLine line;
  /** Files with more than one link, by (dev, ino); other files never enter this map. */
  private final Map<List<Object>, Content> hardLinks = new ConcurrentHashMap<>();
  /** (dev, ino) of the file the scan leaves out (the output being replaced), or null. */
  private List<Object> excluded;

  /** {@code line} counts what is found (and shows it, on a terminal). */
  DirectoryTree(Ownership owners, SpecialFiles specials, int threads, ScanLine line) {
    this.owners = owners;
    this.specials = specials;
    this.threads = threads;
    this.line = line;
  }

  /** Leaves {@code file} (if it exists) out of the scan, whatever name it has in the tree. */
  DirectoryTree excluding(Path file) throws IOException {
    if (file != null && Files.exists(file, LinkOption.NOFOLLOW_LINKS)) {
      Map<String, Object> a = Files.readAttributes(file, "unix:dev,ino", LinkOption.NOFOLLOW_LINKS);
      excluded = List.of(a.get("dev"), a.get("ino"));
    }
    return this;
  }

  /** A directory on its way to becoming a node; only its own listing task adds to children. */
  private static final class Pending {
    final SourceDirectory source;
    final Path path;
    final byte[] name;
    final int mode;
    final int uid;
    final int gid;
    final Pending parent;
    final List<Node> children = new ArrayList<>();

    Pending(Path path, Map<String, Object> attributes, byte[] name, int mode, int uid, int gid, Pending parent) {
      this.source = new SourceDirectory(path, (Long) attributes.get("dev"), (Long) attributes.get("ino"));
      this.path = path;
      this.name = name;
      this.mode = mode;
      this.uid = uid;
      this.gid = gid;
      this.parent = parent;
    }
  }

  Node.Directory scan(Path root) throws IOException {
    Map<String, Object> a = stat(root);
    if (!Format.isDirectory((Integer) a.get("mode"))) {
      throw new InputException(root + ": not a directory");
    }
    Pending top = new Pending(root, a, new byte[0], (Integer) a.get("mode"), owners.uid((Integer) a.get("uid")),
        owners.gid((Integer) a.get("gid")), null);
    // Parents are discovered before their children, so this list is in an order where building
    // nodes back to front always finds a directory's subdirectories already built.
    List<Pending> all = new ArrayList<>();
    ExecutorService pool = Executors.newFixedThreadPool(threads, r -> {
      Thread t = new Thread(r, "scan");
      t.setDaemon(true);
      return t;
    });
    try (Interruption.Registration erase = line.eraseOnEnd()) {
      CompletionService<List<Pending>> listings = new ExecutorCompletionService<>(pool);
      all.add(top);
      listings.submit(() -> list(top));
      int outstanding = 1;
      while (outstanding > 0) {
        List<Pending> subdirs = take(listings, line);
        outstanding--;
        for (Pending p : subdirs) {
          all.add(p);
          listings.submit(() -> list(p));
          outstanding++;
        }
      }
    } finally {
      pool.shutdownNow();
      line.finish();
    }
    Node.Directory result = null;
    for (int i = all.size() - 1; i >= 0; i--) {
      Pending d = all.set(i, null);
      Node.Directory node = new Node.Directory(d.name, d.mode, d.uid, d.gid, d.children);
      if (d.parent == null) {
        result = node;
      } else {
        d.parent.children.add(node);
      }
    }
    return result;
  }

  /** A symlink's target, every byte (java.nio decodes it, and drops a trailing '/'). */
  private static byte[] readlink(Path link) throws InputException {
    try {
      return BytePath.of(link).readlink();
    } catch (SystemCallException e) {
      // The tree changed between the stat and the readlink.
      throw new InputException(switch (e.errno()) {
        case Errno.EINVAL -> link + ": changed during the scan (no longer a symlink)";
        case Errno.ENOENT -> link + ": vanished during the scan (no such file)";
        default -> e.getMessage();
      });
    }
  }

  /** The next listing done; the scan line is redrawn while waiting. */
  private static List<Pending> take(CompletionService<List<Pending>> listings, ScanLine line) throws IOException {
    try {
      java.util.concurrent.Future<List<Pending>> done;
      while ((done = listings.poll(100, java.util.concurrent.TimeUnit.MILLISECONDS)) == null) {
        line.tick();
      }
      line.tick();
      return done.get();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new InputException("interrupted while scanning");
    } catch (ExecutionException e) {
      if (e.getCause() instanceof IOException io) {
        throw io;
      }
      throw new IllegalStateException(e.getCause());
    }
  }

  /** Lists one directory: its files and symlinks become nodes, its subdirectories are returned. */
  private List<Pending> list(Pending dir) throws IOException {
    List<Pending> subdirs = new ArrayList<>();
    try (DirectoryStream<Path> entries = Files.newDirectoryStream(dir.path)) {
      for (Path p : entries) {
        byte[] name = BytePath.fileName(p);
        if (name.length > Format.NAME_MAX) {
          throw new InputException(BytePath.of(p) + ": name of " + name.length + " bytes is longer than the "
              + Format.NAME_MAX + " bytes DAXFS v3 can store");
        }
        Map<String, Object> a = stat(p);
        if (excluded != null && excluded.equals(List.of(a.get("dev"), a.get("ino")))) {
          continue;
        }
        int mode = (Integer) a.get("mode");
        int uid = owners.uid((Integer) a.get("uid"));
        int gid = owners.gid((Integer) a.get("gid"));
        if (Format.isDirectory(mode)) {
          line.directories.incrementAndGet();
          subdirs.add(new Pending(p, a, name, mode, uid, gid, dir));
        } else if (Format.isRegular(mode)) {
          Content content = (Integer) a.get("nlink") > 1
              ? hardLinks.computeIfAbsent(List.of(a.get("dev"), a.get("ino")), k -> source(dir, name, a))
              : source(dir, name, a);
          dir.children.add(new Node.File(name, mode, uid, gid, (Long) a.get("size"), content));
          line.files.incrementAndGet();
          line.bytes.addAndGet((Long) a.get("size"));
        } else if (Format.isSymlink(mode)) {
          byte[] target = readlink(p);
          dir.children.add(new Node.Symlink(name, mode, uid, gid, target));
        } else {
          specials.found(BytePath.of(p).toString(), mode);
        }
      }
    } catch (AccessDeniedException e) {
      throw new InputException(e.getFile() + ": permission denied");
    } catch (NoSuchFileException e) {
      throw new InputException(e.getFile() + ": vanished during the scan (no such file)");
    } catch (InputException e) {
      throw e;
    } catch (IOException e) {
      // e.g. ENAMETOOLONG in a very deep tree: still the input's fault, not the output's
      throw new InputException(dir.path + ": cannot read: " + e.getMessage(), e);
    }
    return subdirs;
  }

  private static SourceFile source(Pending dir, byte[] name, Map<String, Object> attributes) {
    return new SourceFile(dir.source, name, (Long) attributes.get("dev"), (Long) attributes.get("ino"));
  }

  private static Map<String, Object> stat(Path p) throws IOException {
    try {
      return Files.readAttributes(p, ATTRS, LinkOption.NOFOLLOW_LINKS);
    } catch (NoSuchFileException e) {
      throw new InputException(BytePath.of(p) + ": no such file or directory");
    } catch (AccessDeniedException e) {
      throw new InputException(BytePath.of(p) + ": permission denied");
    } catch (IOException e) {
      throw new InputException(BytePath.of(p) + ": cannot read: " + e.getMessage(), e);
    }
  }
}
