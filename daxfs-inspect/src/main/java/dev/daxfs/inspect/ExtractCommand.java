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
import java.util.List;
import java.util.Set;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/**
 * Writes a branch view to a new directory. Names are created as the bytes the image holds (names
 * are bytes, not text: {@link BytePath}). Every file, directory and link is created new (never
 * opened if it exists, never through a symlink), each name is checked to be one component, and
 * owners are set only when running as root. Special files are skipped.
 */
@Command(name = "extract", description = "Write a branch view's tree into DIR (created; must not exist or be empty).")
final class ExtractCommand extends ImageCommand {
  private static final int CHUNK = 1 << 20;
  private static final int PERMISSIONS = 0777;

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
    stack.push(new Item(BytePath.of(root), view.root(), true));
    while (!stack.isEmpty()) {
      Item it = stack.pop();
      try {
        write(view, it, stack, seen, dirs, asRoot);
      } catch (SystemCallException e) {
        if (e.errno() != Errno.EEXIST) {
          throw e;
        }
        skipped.add(it.path + " (the name is there twice)");
      }
    }
    // Directory modes last, deepest first: a read-only directory would refuse its own entries.
    for (int i = dirs.size() - 1; i >= 0; i--) {
      Item d = dirs.get(i);
      d.path.chmod(d.node.mode() & PERMISSIONS);
      if (asRoot) {
        d.path.lchown(d.node.uid(), d.node.gid());
      }
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
    out.printf("%s: %s, %s (%d bytes), %s%n", dir, Counted.of(directories, "directory", "directories"),
        Counted.of(files, "file", "files"), bytes, Counted.of(links, "symlink", "symlinks"));
    skipped.forEach(s -> out.println("skipped: " + s));
    return OK;
  }

  private record Item(BytePath path, ViewNode node, boolean isRoot) {}

  /** Creates one node; a directory pushes its entries. */
  private void write(BranchView view, Item it, Deque<Item> stack, Set<ViewNode> seen, List<Item> dirs,
      boolean asRoot) throws IOException {
    if (it.node.isDirectory()) {
      if (!seen.add(it.node)) {
        skipped.add(it.path + " (a directory reached twice)");
        return;
      }
      if (!it.isRoot) {
        it.path.mkdir(0700);
      }
      directories++;
      dirs.add(it);
      for (ViewEntry e : view.entries(it.node)) {
        // Names are checked by the replay; this makes sure no name leaves its directory.
        if (!isOneComponent(e.name())) {
          skipped.add(it.path + "/" + Names.text(e.name()) + " (the name would leave its directory)");
          continue;
        }
        stack.push(new Item(it.path.resolve(e.name()), e.node(), false));
      }
    } else if (it.node.isSymlink()) {
      byte[] target = it.node.target();
      if (target.length == 0 || indexOf(target, (byte) 0) >= 0) {
        skipped.add(it.path + " (symlink target " + Names.text(target) + " cannot be a link's target)");
        return;
      }
      it.path.symlink(target);
      links++;
      if (asRoot) {
        it.path.lchown(it.node.uid(), it.node.gid());
      }
    } else if (it.node.isRegular()) {
      try (BytePath.NewFile file = it.path.create()) {
        writeFile(view, file, it.node);
        file.chmod(it.node.mode() & PERMISSIONS);
        if (asRoot) {
          file.chown(it.node.uid(), it.node.gid());
        }
      }
      files++;
    } else {
      skipped.add(it.path + " (" + Modes.type(it.node.mode()) + ")");
    }
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
