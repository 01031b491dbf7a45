package dev.daxfs.mkfs;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.daxfs.format.BranchView;
import dev.daxfs.format.Image;
import dev.daxfs.format.ImageFile;
import dev.daxfs.format.Replay;
import dev.daxfs.format.ViewNode;
import dev.daxfs.nativemem.BytePath;
import dev.daxfs.nativemem.OpenDirectory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Names in a source tree are bytes: a Latin-1 name, a byte that is no UTF-8, and a link target with
 * a trailing '/' go into the image exactly, whatever the locale (java.nio decodes names in the
 * platform charset, with U+FFFD for what does not decode, and drops a target's trailing '/').
 */
class ByteNamesTest {
  @TempDir Path tmp;

  private static final byte[] CAFE = {'c', 'a', 'f', (byte) 0xe9, '.', 't', 'x', 't'};
  private static final byte[] HFF = {'h', (byte) 0xff};

  private Path tree() throws Exception {
    Path src = Files.createDirectories(tmp.resolve("src/d"));
    try (OpenDirectory d = OpenDirectory.open(BytePath.of(src)); BytePath.NewFile f = d.create(CAFE)) {
      f.write(java.lang.foreign.MemorySegment.ofArray("bonjour\n".getBytes()), 0);
      f.chmod(0644);
      d.symlink("link".getBytes(), CAFE);
    }
    try (OpenDirectory parent = OpenDirectory.open(BytePath.of(src.getParent()))) {
      parent.symlink("dirlink".getBytes(), "d/".getBytes());
    }
    Run.exec(tmp, "sh", "-c", "ln src/d/caf?.txt src/h" + "$(printf '\\377')");
    return src.getParent();
  }

  @Test
  void namesAndTargetsAreStoredAsTheirBytesInAnyLocale() throws Exception {
    Path src = tree();
    Path out = Files.createDirectories(tmp.resolve("out"));
    Run r = Run.of("-q", "-d", src, "-o", out.resolve("here.img"));
    assertEquals(0, r.code(), r.err());
    try (ImageFile f = ImageFile.open(out.resolve("here.img"))) {
      BranchView v = Replay.base(f.image(), p -> { });
      assertEquals(List.of("d", "dirlink", "h\\xff"), names(v, v.root()));
      ViewNode d = v.lookup("/d").orElseThrow();
      assertEquals(List.of("caf\\xe9.txt", "link"), names(v, d));
      assertEquals(8, v.lookup("/d/caf\\xe9.txt").orElseThrow().size());
      assertArrayEquals(CAFE, v.lookup("/d/link").orElseThrow().target());
      assertArrayEquals("d/".getBytes(), v.lookup("/dirlink").orElseThrow().target());
      try (var in = v.open(v.lookup("/h\\xff").orElseThrow())) {
        assertArrayEquals("bonjour\n".getBytes(), in.readAllBytes());
      }
    }
    // The C locale decodes every non-ASCII byte as U+FFFD: the same image must come out.
    String java = ProcessHandle.current().info().command().orElseThrow();
    ProcessBuilder pb = new ProcessBuilder(java, "--enable-native-access=ALL-UNNAMED", "-cp",
        System.getProperty("java.class.path"), Mkdaxfs.class.getName(), "-q", "-d", src.toString(), "-o",
        out.resolve("c.img").toString()).redirectErrorStream(true);
    pb.environment().keySet().removeIf(k -> k.startsWith("LC_") || k.equals("LANG"));
    pb.environment().put("LC_ALL", "C");
    Process p = pb.start();
    String output = new String(p.getInputStream().readAllBytes());
    assertEquals(0, p.waitFor(), output);
    assertArrayEquals(Files.readAllBytes(out.resolve("here.img")), Files.readAllBytes(out.resolve("c.img")));
  }

  private static List<String> names(BranchView v, ViewNode dir) {
    List<String> out = new ArrayList<>();
    v.entries(dir).forEach(e -> out.add(e.nameString()));
    return out;
  }
}
