package dev.daxfs.mkfs;

import dev.daxfs.format.Content;
import dev.daxfs.format.Format;
import dev.daxfs.format.Node;
import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads a directory tree into nodes without following symlinks. Hard-linked files get one shared
 * Content, so the layout gives them one extent. Device, fifo and socket files are counted and left
 * out (v3 cannot hold them).
 */
final class DirectoryTree {
  private final Map<Object, Content> hardLinks = new HashMap<>();
  private final List<Path> skipped = new ArrayList<>();

  List<Path> skipped() { return skipped; }

  /** A directory on its way to becoming a node: its attributes and children so far. */
  private record Pending(Path path, byte[] name, int mode, int uid, int gid, List<Node> children,
      Pending parent) {}

  Node.Directory scan(Path root) throws IOException {
    Map<String, Object> rootAttrs = Files.readAttributes(root, "unix:mode,uid,gid", LinkOption.NOFOLLOW_LINKS);
    if (!Format.isDirectory((Integer) rootAttrs.get("mode"))) {
      throw new IOException(root + ": not a directory");
    }
    Pending top = new Pending(root, new byte[0], (Integer) rootAttrs.get("mode"), (Integer) rootAttrs.get("uid"),
        (Integer) rootAttrs.get("gid"), new ArrayList<>(), null);
    // Iterative walk: each directory is listed once; children nodes are finished when their
    // directory's listing is done (post-order assembly via an explicit stack).
    Deque<Object> work = new ArrayDeque<>();
    work.push(top);
    Node.Directory result = null;
    while (!work.isEmpty()) {
      Object item = work.pop();
      if (item instanceof Finish f) {
        Pending d = f.dir;
        Node.Directory node = new Node.Directory(d.name, d.mode, d.uid, d.gid, d.children);
        if (d.parent == null) {
          result = node;
        } else {
          d.parent.children.add(node);
        }
        continue;
      }
      Pending dir = (Pending) item;
      work.push(new Finish(dir));
      try (DirectoryStream<Path> entries = Files.newDirectoryStream(dir.path)) {
        for (Path p : entries) {
          byte[] name = nameBytes(p);
          if (name.length > Format.NAME_MAX) {
            throw new IOException(p + ": name of " + name.length + " bytes is longer than the "
                + Format.NAME_MAX + " bytes DAXFS v3 can store");
          }
          Map<String, Object> a = Files.readAttributes(p, "unix:mode,uid,gid,size,ino,dev",
              LinkOption.NOFOLLOW_LINKS);
          int mode = (Integer) a.get("mode");
          int uid = (Integer) a.get("uid");
          int gid = (Integer) a.get("gid");
          if (Format.isDirectory(mode)) {
            work.push(new Pending(p, name, mode, uid, gid, new ArrayList<>(), dir));
          } else if (Format.isRegular(mode)) {
            if (!Files.isReadable(p)) {
              throw new IOException(p + ": permission denied");
            }
            Object key = List.of(a.get("dev"), a.get("ino"));
            Content content = hardLinks.computeIfAbsent(key, k -> Content.of(p));
            dir.children.add(new Node.File(name, mode, uid, gid, (Long) a.get("size"), content));
          } else if (Format.isSymlink(mode)) {
            byte[] target = nameBytes(Files.readSymbolicLink(p));
            dir.children.add(new Node.Symlink(name, mode, uid, gid, target));
          } else {
            skipped.add(p);
          }
        }
      } catch (java.nio.file.AccessDeniedException e) {
        throw new IOException(e.getFile() + ": permission denied");
      }
    }
    return result;
  }

  private record Finish(Pending dir) {}

  /** The file name's bytes as the filesystem stores them (sun.jnu.encoding is UTF-8 on Linux here). */
  private static byte[] nameBytes(Path p) {
    Path name = p.getFileName();
    return (name == null ? p : name).toString().getBytes(java.nio.charset.StandardCharsets.UTF_8);
  }
}
