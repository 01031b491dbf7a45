package dev.daxfs.mkfs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Container image layers as a container tool writes them: each layer a (gzipped) tar of the
 * files it changes, with {@code .wh.NAME} for deletions and {@code .wh..wh..opq} for directories
 * whose lower contents are replaced. The layer trees are made on disk and packed by GNU tar.
 */
class LayerInputTest {
  @TempDir Path tmp;

  @Test
  void layersApplyInOrderWithWhiteoutsAndOpaqueDirectories() throws Exception {
    Path l1 = tmp.resolve("l1");
    write(l1, "etc/a", "a1");
    write(l1, "etc/b", "b1");
    write(l1, "usr/lib/x", "x1");
    write(l1, "usr/lib/sub/y", "y1");
    write(l1, "var/cache/c", "c1");
    write(l1, "keep/me", "kept");
    Path l2 = tmp.resolve("l2");
    write(l2, "etc/.wh.a", "");                 // deletes etc/a
    write(l2, "usr/lib/.wh..wh..opq", "");      // hides x and sub/ of layer 1 ...
    write(l2, "usr/lib/z", "z2");               // ... but not what this layer adds
    write(l2, "etc/c", "c2");
    write(l2, "etc/.wh.never-existed", "");
    Path l3 = tmp.resolve("l3");
    write(l3, "etc/b", "b3");                   // replaces layer 1's file
    write(l3, ".wh.var", "");                   // deletes a whole directory
    Path[] layers = {pack(l1), pack(l2), pack(l3)};
    Path img = tmp.resolve("img");
    Run r = Run.of("--layer", layers[0], "--layer", layers[1], "--layer", layers[2], "-o", img);
    assertEquals(0, r.code(), r.err());

    // What a container runtime shows: the union, computed by hand.
    Path expected = tmp.resolve("expected");
    write(expected, "etc/b", "b3");
    write(expected, "etc/c", "c2");
    write(expected, "usr/lib/z", "z2");
    write(expected, "keep/me", "kept");
    assertEquals(Trees.ofDirectory(expected), Trees.ofImage(img));
  }

  @Test
  void opaqueMarkerAfterTheLayersOwnEntriesKeepsThem() throws Exception {
    Path l1 = tmp.resolve("l1");
    write(l1, "d/old", "old");
    byte[] l2 = new RawTar().dir("d").file("d/new", "new").file("d/.wh..wh..opq", "").finish();
    Path second = tmp.resolve("l2.tar");
    Files.write(second, l2);
    Run r = Run.of("--layer", pack(l1), "--layer", second, "-o", tmp.resolve("img"));
    assertEquals(0, r.code(), r.err());
    assertEquals(List.of("/", "/d", "/d/new"), List.copyOf(Trees.ofImage(tmp.resolve("img")).keySet()));
  }

  @Test
  void withoutLayerWhiteoutsAreOrdinaryFiles() throws Exception {
    Path l2 = tmp.resolve("l2");
    write(l2, "etc/.wh.a", "");
    Run r = Run.of("-t", pack(l2), "-o", tmp.resolve("img"));
    assertEquals(0, r.code(), r.err());
    assertTrue(Trees.ofImage(tmp.resolve("img")).containsKey("/etc/.wh.a"));
  }

  private static void write(Path root, String path, String content) throws IOException {
    Path p = root.resolve(path);
    Files.createDirectories(p.getParent());
    Files.writeString(p, content, StandardCharsets.UTF_8);
  }

  /** The layer as a gzipped POSIX tar, the way image layers are stored. */
  private Path pack(Path layer) throws Exception {
    Path out = tmp.resolve(layer.getFileName() + ".tar.gz");
    Run.exec(tmp, "tar", "--format=posix", "-czf", out.toString(), "-C", layer.toString(), ".");
    return out;
  }
}
