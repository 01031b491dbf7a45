package dev.daxfs.inspect;

import dev.daxfs.cli.Counted;
import dev.daxfs.format.BranchView;
import dev.daxfs.format.Extent;
import dev.daxfs.format.Modes;
import dev.daxfs.format.Names;
import dev.daxfs.format.ViewEntry;
import dev.daxfs.format.ViewNode;
import dev.daxfs.nativemem.BytePath;
import dev.daxfs.nativemem.Errno;
import dev.daxfs.nativemem.OpenDirectory;
import dev.daxfs.nativemem.SystemCallException;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.Deque;
import java.util.IdentityHashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Set;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/**
 * Writes a branch view to a new directory. Names are created as the bytes the image holds (names
 * are bytes, not text: {@link BytePath}). Every step is taken relative to an open directory
 * ({@link OpenDirectory}): each directory is created, then opened without following a symlink,
 * and what is below it is created through that descriptor, so a directory swapped for a symlink
 * while extract runs (as root, in a directory others can write) cannot send anything outside.
 * Every file, directory and link is created new; each name is checked to be one component;
 * owners, and setuid, setgid and sticky bits, are kept only when running as root (as unsquashfs
 * does). Special files are skipped.
 */
@Command(name = "extract", description = "Write a branch view's tree into DIR (created; must not exist or be empty).")
final class ExtractCommand extends ImageCommand {
  private static final int CHUNK = 1 << 20;
  private static final int PERMISSIONS = 0777;
  private static final int ALL_MODE_BITS = 07777;
  private static final int ELOOP = 40;
  private static final int ENOTDIR = 20;

  @Parameters(paramLabel = "DIR", description = "Where to write the tree.")
  Path dir;

  private long files;
  private long directories;
  private long links;
  private long bytes;
  private long droppedBits;
  private final List<String> skipped = new ArrayList<>();

  /**
   * Descriptors held open at most, from the deepest directory up: a deeper walk (an image may nest
   * directories far beyond any descriptor limit) closes the ones above and comes back up through
   * "..", checked against the directory it left.
   */
  static final int OPEN_DIRECTORIES = 64;

  /**
   * A directory being filled: its descriptor (null while parked above the open window), the
   * identity to check when it is reopened, where it is (its parent frame and name, so that a deep
   * walk does not hold a path per level), and the entries still to create.
   */
  private final class Frame {
    OpenDirectory dir;
    OpenDirectory.Identity identity;
    final Frame parent;
    final byte[] name;
    final ViewNode node;
    final Iterator<ViewEntry> entries;

    Frame(OpenDirectory dir, Frame parent, byte[] name, ViewNode node, Iterator<ViewEntry> entries) {
      this.dir = dir;
      this.parent = parent;
      this.name = name;
      this.node = node;
      this.entries = entries;
    }

    void park() throws IOException {
      identity = dir.identity();
      dir.close();
      dir = null;
    }

    /** The path, for messages: from the nearest open frame above (the root frame is open or named). */
    String path() {
      Deque<byte[]> names = new ArrayDeque<>();
      Frame f = this;
      while (f.dir == null && f.parent != null) {
        names.push(f.name);
        f = f.parent;
      }
      StringBuilder sb = new StringBuilder(f.dir == null ? ExtractCommand.this.dir.toAbsolutePath().normalize().toString() : f.dir.toString());
      names.forEach(n -> sb.append('/').append(Names.text(n)));
      return sb.toString();
    }
  }

  @Override int run(Target t, PrintWriter out) throws IOException {
    BranchView view = t.view(t.branch(branch()));
    Path root = dir.toAbsolutePath().normalize();
    if (Files.exists(root, LinkOption.NOFOLLOW_LINKS)) {
      if (!Files.isDirectory(root, LinkOption.NOFOLLOW_LINKS)) {
        throw new UsageException(dir + ": exists and is not a directory");
      }
      try (var s = Files.list(root)) {
        if (s.findAny().isPresent()) {
          throw new UsageException(dir + ": not empty");
        }
      }
    } else {
      Files.createDirectories(root);
    }
    // Owners and the setuid, setgid and sticky bits only mean what the image says when root sets them.
    boolean asRoot = Integer.valueOf(0).equals(Files.getAttribute(Path.of("/proc/self"), "unix:uid"));
    // The path being filled, root first: the frame that leaves the open window is found by index.
    List<Frame> stack = new ArrayList<>();
    Set<ViewNode> seen = Collections.newSetFromMap(new IdentityHashMap<>());
    try {
      seen.add(view.root());
      stack.add(new Frame(OpenDirectory.open(BytePath.of(root)), null, null, view.root(),
          view.entries(view.root()).iterator()));
      directories++;
      while (!stack.isEmpty()) {
        Frame f = stack.getLast();
        if (!f.entries.hasNext()) {
          // Its mode last: a read-only directory would refuse its own entries.
          stack.removeLast();
          try (OpenDirectory d = f.dir) {
            Frame up = stack.isEmpty() ? null : stack.getLast();
            if (up != null && up.dir == null) {
              up.dir = d.parent(up.identity, up.path());
            }
            if (asRoot) {
              d.chown(f.node.uid(), f.node.gid());
            }
            d.chmod(mode(f.node, asRoot));
          }
          continue;
        }
        ViewEntry e = f.entries.next();
        // Names are checked by the replay; this makes sure no name leaves its directory.
        if (!isOneComponent(e.name())) {
          skipped.add(f.dir + "/" + Names.text(e.name()) + " (the name would leave its directory)");
          continue;
        }
        try {
          Frame child = create(view, f, e, seen, asRoot);
          if (child != null) {
            stack.add(child);
            if (stack.size() > OPEN_DIRECTORIES) {
              Frame above = stack.get(stack.size() - 1 - OPEN_DIRECTORIES);
              if (above.dir != null) {
                above.park();
              }
            }
          }
        } catch (SystemCallException x) {
          if (x.errno() != Errno.EEXIST) {
            throw x;
          }
          skipped.add(f.dir.child(e.name()) + " (the name is there twice)");
        }
      }
    } finally {
      for (Frame f : stack) {
        if (f.dir != null) {
          f.dir.close();
        }
      }
    }
    if (droppedBits > 0) {
      err().println("daxfs-inspect: warning: setuid, setgid and sticky bits dropped from " + droppedBits
          + " entr" + (droppedBits == 1 ? "y" : "ies") + " (only root keeps them)");
    }
    if (json) {
      result.put("directory", root.toString());
      result.put("directories", directories);
      result.put("files", files);
      result.put("symlinks", links);
      result.put("bytes", bytes);
      result.put("special_bits_dropped", droppedBits);
      result.put("skipped", skipped);
      return OK;
    }
    out.printf("%s: %s, %s (%d bytes), %s%n", dir, Counted.of(directories, "directory", "directories"),
        Counted.of(files, "file", "files"), bytes, Counted.of(links, "symlink", "symlinks"));
    skipped.forEach(s -> out.println("skipped: " + s));
    return OK;
  }

  /** Creates one entry in {@code parent}; a directory is returned open, to be filled. */
  private Frame create(BranchView view, Frame in, ViewEntry e, Set<ViewNode> seen, boolean asRoot)
      throws IOException {
    OpenDirectory parent = in.dir;
    ViewNode node = e.node();
    byte[] name = e.name();
    if (node.isDirectory()) {
      if (!seen.add(node)) {
        skipped.add(parent.child(name) + " (a directory reached twice)");
        return null;
      }
      parent.mkdir(name, 0700);
      OpenDirectory d;
      try {
        d = parent.directory(name);
      } catch (SystemCallException x) {
        // A symlink or another file there (ELOOP, ENOTDIR), or nothing any more (ENOENT).
        if (x.errno() == ELOOP || x.errno() == ENOTDIR || x.errno() == Errno.ENOENT) {
          throw new IOException(parent.child(name) + ": replaced by something else right after extract created it"
              + " (someone else writes in " + dir + "); stopped, nothing was written through it");
        }
        throw x;
      }
      directories++;
      return new Frame(d, in, name, node, view.entries(node).iterator());
    }
    if (node.isSymlink()) {
      byte[] target = node.target();
      if (target.length == 0 || indexOf(target, (byte) 0) >= 0) {
        skipped.add(parent.child(name) + " (symlink target " + Names.text(target) + " cannot be a link's target)");
        return null;
      }
      parent.symlink(name, target);
      links++;
      if (asRoot) {
        parent.lchown(name, node.uid(), node.gid());
      }
    } else if (node.isRegular()) {
      try (BytePath.NewFile file = parent.create(name)) {
        writeFile(view, file, node);
        // Owner first: chown clears setuid and setgid.
        if (asRoot) {
          file.chown(node.uid(), node.gid());
        }
        file.chmod(mode(node, asRoot));
      }
      files++;
    } else {
      skipped.add(parent.child(name) + " (" + Modes.type(node.mode()) + ")");
    }
    return null;
  }

  private int mode(ViewNode node, boolean asRoot) {
    if (asRoot) {
      return node.mode() & ALL_MODE_BITS;
    }
    if ((node.mode() & ALL_MODE_BITS & ~PERMISSIONS) != 0) {
      droppedBits++;
    }
    return node.mode() & PERMISSIONS;
  }

  /** Writes the extents; what no extent covers, a range of zeros included, stays a hole. */
  private void writeFile(BranchView view, BytePath.NewFile file, ViewNode node) throws IOException {
    for (Extent e : view.extents(node)) {
      if (e.isZeros()) {
        continue;
      }
      for (long done = 0; done < e.length(); done += CHUNK) {
        long n = Math.min(CHUNK, e.length() - done);
        file.write(view.bytes().slice(e.source() + done, n, "file data"), e.offset() + done);
      }
    }
    file.setSize(node.size());
    bytes += node.size();
  }

  private static boolean isOneComponent(byte[] name) {
    return name.length > 0 && indexOf(name, (byte) '/') < 0 && indexOf(name, (byte) 0) < 0
        && !Arrays.equals(name, new byte[] {'.'}) && !Arrays.equals(name, new byte[] {'.', '.'});
  }

  private static int indexOf(byte[] b, byte x) {
    for (int i = 0; i < b.length; i++) {
      if (b[i] == x) {
        return i;
      }
    }
    return -1;
  }
}
