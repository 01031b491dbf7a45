package dev.daxfs.inspect;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.daxfs.format.Child;
import dev.daxfs.format.ImageLayout;
import dev.daxfs.format.ImageSink;
import dev.daxfs.format.ImageSpec;
import dev.daxfs.format.ImageWriter;
import dev.daxfs.format.Node;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Real signals sent to a real daxfs-inspect process while flatten or reclaim writes: exit 128 + the
 * signal's number, and the directory holds exactly what it held before. The input image holds a
 * 4 GiB file that is a hole of the image file, so flatten's write is long but almost none of it
 * happens. reclaim skips holes unread, so its image also holds 192 MiB of data to copy.
 */
class InterruptionTest {
  @TempDir Path tmp;
  Path out;

  @BeforeEach void setUp() throws Exception {
    assumeTrue(Child.envResetsSignals(), "SKIPPED: env --default-signal (coreutils 8.31) is needed");
    out = Files.createDirectory(tmp.resolve("out"));
  }

  /**
   * An image whose one file of 4 GiB is {@code data} bytes of 0x5a, then zeros that are never
   * written: a hole of the image file.
   */
  private Path sparseImage(String name, ImageSpec spec, long data) throws Exception {
    Node.File big = new Node.File(Node.name("big"), 0644, 0, 0, 4L << 30, (sink, position, size) -> {
      byte[] chunk = new byte[1 << 20];
      java.util.Arrays.fill(chunk, (byte) 0x5a);
      for (long at = 0; at < data; at += chunk.length) {
        sink.write(position + at, ByteBuffer.wrap(chunk));
      }
    });
    ImageLayout layout = ImageLayout.plan(new Node.Directory(new byte[0], 0755, 0, 0, List.of(big)), spec);
    Path p = out.resolve(name);
    try (FileChannel ch = FileChannel.open(p, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
      ImageWriter.writeTo(layout, ImageSink.of(ch), ImageWriter.Progress.NONE);
      ch.write(ByteBuffer.allocate(1), layout.imageSize() - 1);
    }
    return p;
  }

  private static Map<String, String> snapshot(Path d) throws Exception {
    Map<String, String> m = new TreeMap<>();
    try (var s = Files.list(d)) {
      for (Path p : s.toList()) {
        var a = Files.readAttributes(p, "unix:mode,ino,size,lastModifiedTime,ctime", LinkOption.NOFOLLOW_LINKS);
        m.put(p.getFileName().toString(), a.toString());
      }
    }
    return m;
  }

  private void interrupt(String signal, int status, String... args) throws Exception {
    Map<String, String> before = snapshot(out);
    Child c = Child.start(tmp, "dev.daxfs.inspect.Inspect", false, args);
    c.awaitWriting(out, false);
    assertEquals(status, c.signal(signal), c.stderrText());
    assertEquals(before, snapshot(out), "SIG" + signal + " during " + args[0]);
  }

  @Test void flattenInterruptedLeavesNothing() throws Exception {
    Path in = sparseImage("in.img", ImageSpec.staticImage(), 0);
    Files.writeString(out.resolve("flat.img"), "previous image");
    interrupt("INT", 130, "flatten", "-f", in.toString(), "-o", out.resolve("flat.img").toString());
    interrupt("KILL", 137, "flatten", "-f", in.toString(), "-o", out.resolve("flat.img").toString());
  }

  @Test void reclaimInterruptedLeavesTheImageAsItWas() throws Exception {
    Path in = sparseImage("in.img", ImageSpec.branching(1 << 20), 192L << 20);
    interrupt("TERM", 143, "reclaim", "--yes", "-f", in.toString());
    interrupt("HUP", 129, "reclaim", "--yes", "-f", in.toString());
  }
}
