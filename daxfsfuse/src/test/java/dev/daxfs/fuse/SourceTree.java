package dev.daxfs.fuse;

import dev.daxfs.format.Content;
import dev.daxfs.format.Format;
import dev.daxfs.format.Node;
import dev.daxfs.nativemem.BytePath;
import dev.daxfs.nativemem.OpenDirectory;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * A source tree with what a mount must show exactly: names that are not UTF-8, names of 128 bytes
 * (the format's limit), control characters in names, symlinks (relative, absolute, dangling, to
 * non-UTF-8 bytes), setuid/setgid/sticky bits, owners other than root, empty files and sizes
 * around page boundaries. Created through byte paths, read back into a {@link Node} tree the way
 * mkdaxfs reads a directory.
 */
final class SourceTree {
  private SourceTree() {}

  static void create(Path root) throws IOException {
    try (OpenDirectory r = OpenDirectory.open(BytePath.of(root))) {
      fill(r);
    }
  }

  private static void fill(OpenDirectory r) throws IOException {
    Random random = new Random(19);
    file(r, name("plain.txt"), 0644, 0, 0, "hello\n".getBytes(StandardCharsets.UTF_8));
    file(r, Snapshot.bytes(0xff, 0xfe, 'x'), 0600, 0, 0, randomBytes(random, 5000));
    file(r, name("n".repeat(Format.NAME_MAX)), 0644, 0, 0, randomBytes(random, 3));
    file(r, name("m".repeat(Format.NAME_MAX - 1)), 0644, 0, 0, new byte[0]);
    file(r, name("żółw ü"), 0644, 0, 0, randomBytes(random, 100));
    file(r, name("tab\there\nnewline"), 0644, 0, 0, randomBytes(random, 10));
    file(r, name("empty"), 0644, 0, 0, new byte[0]);
    file(r, name("setuid"), 04755, 0, 0, randomBytes(random, 64));
    file(r, name("setgid"), 02755, 0, 0, randomBytes(random, 64));
    file(r, name("owned"), 0640, 1234, 5678, randomBytes(random, 7));
    for (long size : new long[] {4095, 4096, 4097, 8192, 12289, (1 << 20) + 1}) {
      file(r, name("size-" + size), 0644, 0, 0, randomBytes(random, (int) size));
    }
    byte[] latin = Snapshot.bytes('c', 'a', 'f', 0xe9);
    r.mkdir(latin, 0755);
    try (OpenDirectory d = r.directory(latin)) {
      file(d, name("inside"), 0444, 0, 0, randomBytes(random, 4096 * 3));
    }
    r.mkdir(name("sticky"), 0755);
    try (OpenDirectory d = r.directory(name("sticky"))) {
      d.chmod(01777);
    }
    r.mkdir(name("setgid-dir"), 0755);
    try (OpenDirectory d = r.directory(name("setgid-dir"))) {
      d.chmod(02775);
      d.chown(4321, 8765);
    }
    deep(r, 0, random);
    r.mkdir(name("empty-dir"), 0700);
    r.symlink(name("link-relative"), name("plain.txt"));
    r.symlink(name("link-absolute"), name("/etc/passwd"));
    r.symlink(name("link-dangling"), name("no/such/file"));
    r.symlink(name("link-odd"), Snapshot.bytes(0xff, 0xfe, 'x'));
    r.lchown(name("link-odd"), 1111, 2222);
  }

  /** d0/d1/.../d5/leaf, each directory 0750. */
  private static void deep(OpenDirectory dir, int level, Random random) throws IOException {
    if (level == 6) {
      file(dir, name("leaf"), 0644, 42, 43, randomBytes(random, 1));
      return;
    }
    byte[] n = name("d" + level);
    dir.mkdir(n, 0750);
    try (OpenDirectory d = dir.directory(n)) {
      d.chmod(0750);
      deep(d, level + 1, random);
    }
  }

  /** The tree as mkdaxfs would read it (no hard links here, so every file has its own content). */
  static Node.Directory read(Path root) throws IOException {
    Map<String, Object> a = attrs(root);
    return new Node.Directory(new byte[0], (Integer) a.get("mode"), (Integer) a.get("uid"), (Integer) a.get("gid"),
        children(root));
  }

  private static List<Node> children(Path dir) throws IOException {
    List<Node> out = new ArrayList<>();
    try (DirectoryStream<Path> ds = Files.newDirectoryStream(dir)) {
      for (Path p : ds) {
        byte[] n = BytePath.fileName(p);
        Map<String, Object> a = attrs(p);
        int mode = (Integer) a.get("mode");
        int uid = (Integer) a.get("uid");
        int gid = (Integer) a.get("gid");
        if (Format.isDirectory(mode)) {
          out.add(new Node.Directory(n, mode, uid, gid, children(p)));
        } else if (Format.isSymlink(mode)) {
          out.add(new Node.Symlink(n, mode, uid, gid, BytePath.of(p).readlink()));
        } else {
          out.add(new Node.File(n, mode, uid, gid, (Long) a.get("size"), Content.of(Files.readAllBytes(p))));
        }
      }
    }
    return out;
  }

  private static Map<String, Object> attrs(Path p) throws IOException {
    return Files.readAttributes(p, "unix:mode,uid,gid,size", LinkOption.NOFOLLOW_LINKS);
  }

  private static void file(OpenDirectory dir, byte[] name, int mode, int uid, int gid, byte[] data) throws IOException {
    try (BytePath.NewFile f = dir.create(name)) {
      if (data.length > 0) {
        f.write(java.lang.foreign.MemorySegment.ofArray(data), 0);
      }
      f.chown(uid, gid);
      f.chmod(mode);
    }
  }

  private static byte[] name(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  private static byte[] randomBytes(Random r, int n) {
    byte[] b = new byte[n];
    r.nextBytes(b);
    return b;
  }
}
