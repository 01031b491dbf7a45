package dev.daxfs.inspect;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.daxfs.format.Content;
import dev.daxfs.format.ImageLayout;
import dev.daxfs.format.ImageSpec;
import dev.daxfs.format.ImageWriter;
import dev.daxfs.format.Node;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * extract as root, while another thread swaps every directory extract creates for a symlink to a
 * directory outside: nothing is ever written outside and the outside directory's mode never
 * changes. Also: setuid, setgid and sticky bits are kept as root.
 */
class ExtractRaceTest {
  private static final int RUNS = 8;

  @TempDir Path tmp;

  @Test
  void aDirectorySwappedForASymlinkNeverLeadsOutside() throws Exception {
    Path image = image(tmp);
    // Shaped like what extract writes, so a path followed through a swapped link finds its way.
    Path outside = Files.createDirectory(tmp.resolve("outside"));
    Files.createDirectory(outside.resolve("sub"));
    Files.setPosixFilePermissions(outside, PosixFilePermissions.fromString("rwx------"));
    Files.setPosixFilePermissions(outside.resolve("sub"), PosixFilePermissions.fromString("rwx------"));
    List<String> before = snapshot(outside);
    int stopped = 0;
    int swaps = 0;
    for (int run = 0; run < RUNS; run++) {
      Path out = Files.createDirectory(tmp.resolve("out" + run));
      Path moved = Files.createDirectory(tmp.resolve("moved" + run));
      AtomicBoolean stop = new AtomicBoolean();
      AtomicInteger swapped = new AtomicInteger();
      Thread racer = new Thread(() -> {
        while (!stop.get()) {
          swapped.addAndGet(swapDirectories(out, moved, outside));
        }
      }, "racer");
      racer.start();
      Run r;
      try {
        r = Run.of("extract", "-f", image.toString(), out.toString());
      } finally {
        stop.set(true);
        racer.join();
      }
      swaps += swapped.get();
      assertEquals(before, snapshot(outside), "extract wrote or chmod'ed outside its directory in run " + run + ": "
          + r);
      if (r.status() != 0) {
        assertEquals(ImageCommand.OUTPUT, r.status(), r.toString());
        assertTrue(r.err().contains("replaced by something else right after extract created it"), r.err());
        stopped++;
      }
    }
    System.err.println("extract race: " + swaps + " directories swapped, " + stopped + " of " + RUNS + " runs stopped");
  }

  @Test
  void rootKeepsSetuidSetgidAndStickyBits() throws Exception {
    if (!Integer.valueOf(0).equals(Files.getAttribute(Path.of("/proc/self"), "unix:uid"))) {
      System.err.println("SKIPPED: rootKeepsSetuidSetgidAndStickyBits needs root");
      return;
    }
    Node.Directory root = new Node.Directory(new byte[0], 0755, 0, 0, List.of(
        new Node.File(n("su"), 04755, 0, 0, 2, Content.of(n("#!"))),
        new Node.File(n("sg"), 02711, 5, 6, 0, Content.of(new byte[0])),
        new Node.Directory(n("tmp"), 01777, 0, 0, List.of())));
    Path image = tmp.resolve("modes.img");
    ImageWriter.write(ImageLayout.plan(root, ImageSpec.staticImage()), image, ImageWriter.Progress.NONE);
    Path out = tmp.resolve("x");
    Run r = Run.ok("extract", "-f", image.toString(), out.toString());
    assertEquals(04755, mode(out.resolve("su")), r.toString());
    assertEquals(02711, mode(out.resolve("sg")));
    assertEquals(6, Files.getAttribute(out.resolve("sg"), "unix:gid"));
    assertEquals(01777, mode(out.resolve("tmp")));
  }

  /** Every path under {@code dir} with its mode. */
  private static List<String> snapshot(Path dir) throws IOException {
    try (Stream<Path> s = Files.walk(dir)) {
      return s.map(p -> {
        try {
          return dir.relativize(p) + " " + Integer.toOctalString(mode(p));
        } catch (IOException e) {
          throw new java.io.UncheckedIOException(e);
        }
      }).sorted().toList();
    }
  }

  private static int mode(Path p) throws IOException {
    return (Integer) Files.getAttribute(p, "unix:mode", LinkOption.NOFOLLOW_LINKS) & 07777;
  }

  /** Moves each real directory in {@code out} aside and puts a symlink to {@code outside} in its place. */
  private static int swapDirectories(Path out, Path moved, Path outside) {
    int n = 0;
    List<Path> dirs = new ArrayList<>();
    try (Stream<Path> s = Files.list(out)) {
      s.filter(p -> Files.isDirectory(p, LinkOption.NOFOLLOW_LINKS)).forEach(dirs::add);
    } catch (IOException e) {
      return 0;
    }
    for (Path d : dirs) {
      try {
        Files.move(d, moved.resolve(d.getFileName() + "." + System.nanoTime()));
        Files.createSymbolicLink(d, outside);
        n++;
      } catch (IOException e) {
        // extract got there first, or the name is gone: try the next one
      }
    }
    return n;
  }

  /** 40 directories of 10 files and a subdirectory each, all 0777 (as an image may well hold). */
  private static Path image(Path dir) throws IOException {
    List<Node> top = new ArrayList<>();
    for (int d = 0; d < 40; d++) {
      List<Node> kids = new ArrayList<>();
      for (int f = 0; f < 10; f++) {
        byte[] data = n("file " + d + "/" + f + "\n");
        kids.add(new Node.File(n("f" + f), 0644, 0, 0, data.length, Content.of(data)));
      }
      kids.add(new Node.Directory(n("sub"), 0777, 0, 0, List.of(
          new Node.File(n("deep"), 0644, 0, 0, 1, Content.of(n("x"))))));
      top.add(new Node.Directory(n(String.format("d%02d", d)), 0777, 0, 0, kids));
    }
    Path p = dir.resolve("many.img");
    ImageWriter.write(ImageLayout.plan(new Node.Directory(new byte[0], 0755, 0, 0, top), ImageSpec.staticImage()), p,
        ImageWriter.Progress.NONE);
    return p;
  }

  private static byte[] n(String s) { return s.getBytes(java.nio.charset.StandardCharsets.UTF_8); }
}
