package dev.daxfs.format;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.zip.GZIPInputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Images checked by src/test/python/daxfs_read.py, a reader written from the format sheet alone
 * (no shared code): the image of examples/rootfs lists exactly the tree on disk, and the script
 * reads the kernel-tested base image as the kernel listed it.
 */
class IndependentReaderTest {
  private static final Path SCRIPT = Path.of("src/test/python/daxfs_read.py").toAbsolutePath();

  @TempDir Path tmp;

  @Test
  void examplesRootfsImageListsTheTreeOnDisk() throws Exception {
    Path rootfs = repoRoot().resolve("examples/rootfs");
    Files.createDirectories(rootfs.resolve("empty"));   // git cannot store empty directories
    List<String> expected = new ArrayList<>();
    Node.Directory tree = scan(rootfs, expected);
    Path image = tmp.resolve("rootfs.daxfs");
    ImageWriter.write(ImageLayout.plan(tree, ImageSpec.staticImage()), image, ImageWriter.Progress.NONE);
    List<String> listed = new ArrayList<>();
    for (String line : runScript(image)) {
      // PATH MODE UID GID SIZE INO EXTRA: the inode number is the codec's business, not the tree's
      String[] f = line.split("\t");
      listed.add(String.join("\t", f[0], f[1], f[2], f[3], f[4], f[6]));
    }
    expected.sort(null);
    listed.sort(null);
    assertEquals(expected, listed);
    assertEquals(true, listed.stream().anyMatch(l -> l.startsWith("/empty\t40")), "the empty directory is listed");
  }

  @Test
  void kernelTestedBaseImageReadsAsTheKernelListedIt() throws Exception {
    Path images = sharedDir().resolve("kernel-images");
    Path image = tmp.resolve("base-input.daxfs");
    try (InputStream in = new GZIPInputStream(Files.newInputStream(images.resolve("base-input.daxfs.gz")))) {
      Files.copy(in, image);
    }
    // Kernel lines: "drwxr-xr-x 1 0 0 432 ino=1 /" and files end in " sha256=HEX".
    List<String> expected = new ArrayList<>();
    for (String line : Files.readAllLines(images.resolve("base-input.expect.txt"))) {
      if (line.isEmpty() || line.startsWith("#") || line.startsWith("[")) {
        continue;
      }
      String[] f = line.split(" ");
      String path = f[6];
      // The kernel shows uid/gid 0 for base inodes; the image has 1000:1000 on these two (its header says so).
      String owner = path.equals("/data") || path.equals("/data/small") ? "1000\t1000" : "0\t0";
      String extra = f.length > 7 ? f[7].substring("sha256=".length()) : "";
      expected.add(String.join("\t", path, Integer.toOctalString(mode(f[0])), owner, f[4], f[5].substring(4), extra));
    }
    List<String> listed = new ArrayList<>();
    for (String line : runScript(image)) {
      String[] f = line.split("\t");
      // symlink targets were not read by the kernel (readlink of a base symlink crashes it): compare the rest
      String extra = f[6].equals("-") || f[1].startsWith("120") ? "" : f[6];
      listed.add(String.join("\t", f[0], f[1], f[2], f[3], f[4], f[5], extra));
    }
    expected.sort(null);
    listed.sort(null);
    assertEquals(expected, listed);
    assertEquals(true, runScript(image).contains("/etc/link\t120777\t0\t0\t8\t11\thostname"));
  }

  @Test
  void generatedTreesListAsTheyWereBuilt() throws Exception {
    for (long seed = 0; seed < 6; seed++) {
      Node.Directory tree = TreeGenerator.generate(seed);
      ImageSpec spec = seed % 2 == 0 ? ImageSpec.staticImage() : ImageSpec.branching(Format.DEFAULT_DELTA_SIZE);
      Path image = tmp.resolve("gen" + seed);
      ImageWriter.write(ImageLayout.plan(tree, spec), image, ImageWriter.Progress.NONE);
      List<String> listed = new ArrayList<>();
      for (String line : runScript(image)) {
        String[] f = line.split("\t");
        listed.add(String.join("\t", f[0], f[1], f[2], f[3], f[4], f[6]));
      }
      listed.sort(null);
      assertEquals(TreeReader.listing(tree), listed, "seed " + seed);
    }
  }

  /** "drwxr-xr-x" as an st_mode. */
  private static int mode(String s) {
    int type = switch (s.charAt(0)) {
      case 'd' -> Format.S_IFDIR;
      case 'l' -> Format.S_IFLNK;
      case '-' -> Format.S_IFREG;
      default -> throw new IllegalArgumentException(s);
    };
    int perm = 0;
    for (int i = 1; i < 10; i++) {
      perm = perm << 1 | (s.charAt(i) == '-' ? 0 : 1);
    }
    return type | perm;
  }

  /**
   * Reads a directory into a Node tree (iteratively) and, from the same stat calls, the lines the
   * script should print for it: path, octal mode, uid, gid, size, sha256 or target.
   */
  private static Node.Directory scan(Path root, List<String> lines) throws IOException {
    record Pending(Path path, String shown, int parent) {}
    // Directories are built after their children: keep each one's child list and build at the end.
    List<Path> dirs = new ArrayList<>();
    List<List<Node>> dirKids = new ArrayList<>();
    List<Integer> dirParent = new ArrayList<>();
    Deque<Pending> stack = new ArrayDeque<>();
    stack.push(new Pending(root, "/", -1));
    while (!stack.isEmpty()) {
      Pending p = stack.pop();
      Map<String, Object> a = Files.readAttributes(p.path(), "unix:mode,uid,gid,size", LinkOption.NOFOLLOW_LINKS);
      int mode = (Integer) a.get("mode");
      int uid = (Integer) a.get("uid");
      int gid = (Integer) a.get("gid");
      String head = p.shown() + "\t" + Integer.toOctalString(mode) + "\t" + uid + "\t" + gid + "\t";
      byte[] name = p.path().equals(root) ? new byte[0] : Node.name(p.path().getFileName().toString());
      if (Files.isSymbolicLink(p.path())) {
        byte[] target = Node.name(Files.readSymbolicLink(p.path()).toString());
        lines.add(head + target.length + "\t" + new String(target, StandardCharsets.UTF_8));
        dirKids.get(p.parent()).add(new Node.Symlink(name, mode, uid, gid, target));
      } else if (Files.isDirectory(p.path(), LinkOption.NOFOLLOW_LINKS)) {
        int index = dirs.size();
        dirs.add(p.path());
        dirKids.add(new ArrayList<>());
        dirParent.add(p.parent());
        List<Path> children;
        try (var s = Files.list(p.path())) {
          children = s.toList();
        }
        lines.add(head + children.size() * Format.DIRENT_SIZE + "\t-");
        for (Path c : children) {
          String shown = (p.shown().equals("/") ? "" : p.shown()) + "/" + c.getFileName();
          stack.push(new Pending(c, shown, index));
        }
      } else {
        byte[] data = Files.readAllBytes(p.path());
        lines.add(head + data.length + "\t" + TreeReader.sha256(data));
        dirKids.get(p.parent()).add(new Node.File(name, mode, uid, gid, data.length, Content.of(p.path())));
      }
    }
    // Children always have higher indexes than their parents: build from the last directory up.
    Node.Directory[] built = new Node.Directory[dirs.size()];
    for (int i = dirs.size() - 1; i >= 0; i--) {
      Map<String, Object> a = Files.readAttributes(dirs.get(i), "unix:mode,uid,gid", LinkOption.NOFOLLOW_LINKS);
      byte[] name = i == 0 ? new byte[0] : Node.name(dirs.get(i).getFileName().toString());
      built[i] = new Node.Directory(name, (Integer) a.get("mode"), (Integer) a.get("uid"), (Integer) a.get("gid"),
          dirKids.get(i));
      if (dirParent.get(i) >= 0) {
        dirKids.get(dirParent.get(i)).add(built[i]);
      }
    }
    return built[0];
  }

  private static List<String> runScript(Path image) throws Exception {
    Process p;
    try {
      p = new ProcessBuilder("python3", SCRIPT.toString(), image.toString())
          .redirectError(ProcessBuilder.Redirect.INHERIT).start();
    } catch (IOException e) {
      System.err.println("SKIPPED: python3 is not installed (" + e.getMessage() + ")");
      assumeTrue(false, "SKIPPED: python3 is not installed");
      throw e;
    }
    byte[] out = p.getInputStream().readAllBytes();
    assertEquals(true, p.waitFor(60, TimeUnit.SECONDS), "daxfs_read.py finished");
    assertEquals(0, p.exitValue(), "daxfs_read.py exit code");
    return List.of(new String(out, StandardCharsets.UTF_8).strip().split("\n"));
  }

  private static Path repoRoot() {
    Path p = Path.of("").toAbsolutePath();
    while (p != null && !Files.isDirectory(p.resolve("examples/rootfs"))) {
      p = p.getParent();
    }
    assertEquals(true, p != null, "examples/rootfs not found above the working directory");
    return p;
  }

  /** The shared folder beside the clone (kernel-written images); tests without it are skipped loudly. */
  private static Path sharedDir() {
    for (Path p = Path.of("").toAbsolutePath(); p != null; p = p.getParent()) {
      if (Files.isDirectory(p.resolve("shared/kernel-images"))) {
        return p.resolve("shared");
      }
    }
    System.err.println("SKIPPED: no shared/kernel-images beside the clone");
    assumeTrue(false, "SKIPPED: no shared/kernel-images beside the clone");
    return null;
  }
}
