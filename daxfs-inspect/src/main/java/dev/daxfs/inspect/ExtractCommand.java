package dev.daxfs.inspect;

import dev.daxfs.format.BranchView;
import dev.daxfs.format.Extent;
import dev.daxfs.format.Modes;
import dev.daxfs.format.ViewEntry;
import dev.daxfs.format.ViewNode;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.channels.FileChannel;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermission;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Deque;
import java.util.EnumSet;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Set;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/**
 * Writes a branch view to a new directory. Every file, directory and link is created new
 * (never opened if it exists, never through a symlink), each name is checked to stay one level
 * below its directory, and owners are set only when running as root. Special files are skipped.
 */
@Command(name = "extract", description = "Write a branch view's tree into DIR (created; must not exist or be empty).")
final class ExtractCommand extends ImageCommand {
  private static final int CHUNK = 1 << 20;

  @Parameters(paramLabel = "DIR", description = "Where to write the tree.")
  Path dir;

  private long files;
  private long directories;
  private long links;
  private long bytes;
  private final List<String> skipped = new ArrayList<>();

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
    // Owners can only be given by root: a directory we just made is owned by whoever we are.
    boolean asRoot = Integer.valueOf(0).equals(Files.getAttribute(root, "unix:uid", LinkOption.NOFOLLOW_LINKS));
    Deque<Item> stack = new ArrayDeque<>();
    Set<ViewNode> seen = Collections.newSetFromMap(new IdentityHashMap<>());
    List<Item> dirs = new ArrayList<>();
    stack.push(new Item(root, view.root()));
    while (!stack.isEmpty()) {
      Item it = stack.pop();
      try {
        write(view, it, root, stack, seen, dirs, asRoot);
      } catch (FileAlreadyExistsException e) {
        skipped.add(it.path + " (the name exists: two names decode to one)");
      }
    }
    // Directory modes last, deepest first: a read-only directory would refuse its own entries.
    for (int i = dirs.size() - 1; i >= 0; i--) {
      Item d = dirs.get(i);
      Files.setPosixFilePermissions(d.path, permissions(d.node.mode()));
      owner(d.path, d.node, asRoot);
    }
    if (json) {
      result.put("directory", root.toString());
      result.put("directories", directories);
      result.put("files", files);
      result.put("symlinks", links);
      result.put("bytes", bytes);
      result.put("skipped", skipped);
      return OK;
    }
    out.printf("%s: %d directories, %d files (%d bytes), %d symlinks%n", dir, directories, files, bytes, links);
    skipped.forEach(s -> out.println("skipped: " + s));
    return OK;
  }

  private record Item(Path path, ViewNode node) {}

  /** Creates one node; a directory pushes its entries. */
  private void write(BranchView view, Item it, Path root, Deque<Item> stack, Set<ViewNode> seen, List<Item> dirs,
      boolean asRoot) throws IOException {
    if (it.node.isDirectory()) {
      if (!seen.add(it.node)) {
        skipped.add(it.path + " (a directory reached twice)");
        return;
      }
      if (!it.path.equals(root)) {
        Files.createDirectory(it.path);
      }
      directories++;
      dirs.add(it);
      for (ViewEntry e : view.entries(it.node)) {
        Path child = it.path.resolve(e.nameString()).normalize();
        // Names are checked by the replay; this makes sure no name, however decoded, leaves its directory.
        if (!it.path.equals(child.getParent())) {
          skipped.add(it.path + "/" + Text.of(e.name()) + " (the name would leave its directory)");
          continue;
        }
        stack.push(new Item(child, e.node()));
      }
    } else if (it.node.isSymlink()) {
      Path target;
      try {
        target = Path.of(new String(it.node.target(), java.nio.charset.StandardCharsets.UTF_8));
      } catch (java.nio.file.InvalidPathException e) {
        skipped.add(it.path + " (symlink target " + Text.of(it.node.target()) + " cannot be a path here)");
        return;
      }
      Files.createSymbolicLink(it.path, target);
      links++;
      owner(it.path, it.node, asRoot);
    } else if (it.node.isRegular()) {
      writeFile(view, it.path, it.node);
      Files.setPosixFilePermissions(it.path, permissions(it.node.mode()));
      owner(it.path, it.node, asRoot);
      files++;
    } else {
      skipped.add(it.path + " (" + Modes.type(it.node.mode()) + ")");
    }
  }

  private void writeFile(BranchView view, Path path, ViewNode node) throws IOException {
    try (FileChannel ch = FileChannel.open(path, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE,
        LinkOption.NOFOLLOW_LINKS)) {
      for (Extent e : view.extents(node)) {
        if (e.isZeros()) {
          continue;  // left a hole
        }
        for (long done = 0; done < e.length(); ) {
          long n = Math.min(CHUNK, e.length() - done);
          var buf = view.bytes().slice(e.source() + done, n, "file data").asByteBuffer();
          while (buf.hasRemaining()) {
            ch.write(buf, e.offset() + done + buf.position());
          }
          done += n;
        }
      }
      if (ch.size() < node.size()) {
        // A file ending in zeros: one byte at the end makes the size, the rest stays a hole.
        ch.write(java.nio.ByteBuffer.allocate(1), node.size() - 1);
      }
      bytes += node.size();
    }
  }

  private static void owner(Path path, ViewNode n, boolean asRoot) throws IOException {
    if (asRoot) {
      Files.setAttribute(path, "unix:uid", n.uid(), LinkOption.NOFOLLOW_LINKS);
      Files.setAttribute(path, "unix:gid", n.gid(), LinkOption.NOFOLLOW_LINKS);
    }
  }

  static Set<PosixFilePermission> permissions(int mode) {
    Set<PosixFilePermission> s = EnumSet.noneOf(PosixFilePermission.class);
    PosixFilePermission[] all = PosixFilePermission.values();  // OWNER_READ .. OTHERS_EXECUTE, bit 8 down to 0
    for (int i = 0; i < all.length; i++) {
      if ((mode & (1 << (8 - i))) != 0) {
        s.add(all[i]);
      }
    }
    return s;
  }
}
