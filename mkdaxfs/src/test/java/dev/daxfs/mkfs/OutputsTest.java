package dev.daxfs.mkfs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.daxfs.format.DirectorySnapshot;
import dev.daxfs.format.ImageDigest;
import dev.daxfs.format.ImageFile;
import dev.daxfs.integrity.KeyFiles;
import dev.daxfs.integrity.SignatureAlgorithm;
import dev.daxfs.integrity.SignatureFile;
import dev.daxfs.integrity.SignatureVerifier;
import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.ServerSocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What mkdaxfs does with each kind of existing -o, IMAGE.sig and input archive. */
class OutputsTest {
  @TempDir Path tmp;
  Path src;

  @BeforeEach void setUp() throws Exception {
    src = Trees.sample(tmp.resolve("src"));
  }

  static boolean root() {
    return "root".equals(System.getProperty("user.name"));
  }

  private static String digest(Path image) throws IOException {
    try (ImageFile f = ImageFile.open(image)) {
      return ImageDigest.of(f.image()).hex();
    }
  }

  @Test void anExistingNodeThatIsNotARegularFileIsRefusedWithExit3AndKept() throws Exception {
    Path out = Files.createDirectory(tmp.resolve("out"));
    Path fifo = out.resolve("fifo");
    Run.exec(out, "mkfifo", fifo.toString());
    Map<Path, String> kinds = new LinkedHashMap<>();
    kinds.put(fifo, "FIFO");
    kinds.put(Files.createDirectory(out.resolve("dir")), "directory");
    if (root()) {
      Run.exec(out, "mknod", "null", "c", "1", "3");
      Run.exec(out, "mknod", "dax0.0", "c", "1", "3");
      Run.exec(out, "mknod", "pmem0", "b", "7", "201");
      kinds.put(out.resolve("null"), "character device");
      kinds.put(out.resolve("dax0.0"), "character device");
      kinds.put(out.resolve("pmem0"), "block device");
    } else {
      System.err.println("SKIPPED: device nodes as -o need root for mknod; FIFO, socket and directory tested");
    }
    Path sock = out.resolve("sock");
    try (ServerSocketChannel server = ServerSocketChannel.open(StandardProtocolFamily.UNIX)) {
      server.bind(UnixDomainSocketAddress.of(sock));
      kinds.put(sock, "socket");
      Map<String, String> before = DirectorySnapshot.of(out);
      for (var k : kinds.entrySet()) {
        Run r = Run.of("-d", src, "-o", k.getKey());
        assertEquals(3, r.code(), r.err());
        String name = k.getKey().getFileName().toString();
        String expected = "mkdaxfs: " + k.getKey() + ": cannot write image: is a " + k.getValue() + ", not a regular file; refusing to"
            + " replace it" + (name.startsWith("dax") || name.startsWith("pmem")
            ? "; to write the image into this device's memory, use mkdaxfs --devdax " + k.getKey() : "") + "\n";
        assertEquals(expected, r.err());
        // The signature is checked before the work too.
        Run s = Run.of("-d", src, "-o", tmp.resolve("img"), "--sign", tmp.resolve("no-key"), "--sig-file", k.getKey());
        assertEquals(3, s.code(), s.err());
        assertTrue(s.err().startsWith("mkdaxfs: " + k.getKey() + ": cannot write the signature: is a " + k.getValue()),
            s.err());
      }
      assertEquals(before, DirectorySnapshot.of(out));
    }
  }

  @Test void aSymlinkOutputIsWrittenThroughAndStays() throws Exception {
    Path real = Files.writeString(tmp.resolve("real.img"), "old image");
    Path link = Files.createSymbolicLink(tmp.resolve("link"), real.getFileName());
    Run r = Run.of("-d", src, "-o", link);
    assertEquals(0, r.code(), r.err());
    assertTrue(Files.isSymbolicLink(link));
    assertEquals(Trees.ofDirectory(src), Trees.ofImage(real));
    assertEquals(List.of("link", "real.img", "src"), Run.names(tmp));
  }

  @Test void signWritesThroughASymlinkedSignatureAndSignsTheImageItWrote() throws Exception {
    Path keys = Files.createDirectory(tmp.resolve("keys"));
    List<Path> pair = KeyFiles.write(SignatureAlgorithm.ED25519.generate(), keys.resolve("k"));
    Path elsewhere = Files.createDirectory(tmp.resolve("elsewhere"));
    Path victim = Files.writeString(elsewhere.resolve("victim.sig"), "not to be truncated in place");
    Object inode = Files.getAttribute(victim, "unix:ino");
    Path image = tmp.resolve("img");
    Path sigLink = Files.createSymbolicLink(tmp.resolve("img.sig"), victim);
    Run r = Run.of("-d", src, "-o", image, "--sign", pair.get(0));
    assertEquals(0, r.code(), r.err());
    assertTrue(Files.isSymbolicLink(sigLink));
    assertTrue(!inode.equals(Files.getAttribute(victim, "unix:ino")), "replaced by rename, not rewritten in place");
    try (ImageFile f = ImageFile.open(image)) {
      SignatureVerifier.verify(f.image(), SignatureFile.read(sigLink), KeyFiles.readPublic(pair.get(1)));
    }
    assertTrue(r.out().strip().endsWith(", digest " + digest(image) + ", signed: " + sigLink), r.out());
    assertEquals(List.of("victim.sig"), Run.names(elsewhere));
  }

  @Test void theOutputInsideTheInputTreeIsNotInTheNextImage() throws Exception {
    Path out = src.resolve("x.daxfs");
    Map<String, String> tree = Trees.ofDirectory(src);
    Run first = Run.of("-d", src, "-o", out);
    assertEquals(0, first.code(), first.err());
    byte[] image = Files.readAllBytes(out);
    Run second = Run.of("-d", src, "-o", out);
    assertEquals(0, second.code(), second.err());
    assertEquals(tree, Trees.ofImage(out));
    assertFalse(Trees.ofImage(out).containsKey("/x.daxfs"));
    assertEquals(-1, java.util.Arrays.mismatch(image, Files.readAllBytes(out)), "both runs give the same image");
    // A symlink in the tree naming the output is stored as a symlink, like any other.
    Files.createSymbolicLink(src.resolve("img-link"), Path.of("x.daxfs"));
    Run third = Run.of("-d", src, "-o", src.resolve("img-link"));
    assertEquals(0, third.code(), third.err());
    assertTrue(Trees.ofImage(out).get("/img-link").startsWith("120777 "), Trees.ofImage(out).get("/img-link"));
    assertFalse(Trees.ofImage(out).containsKey("/x.daxfs"));
  }

  @Test void theInputArchiveAsOutputIsRefusedAndKept() throws Exception {
    Path archive = tmp.resolve("a.tar");
    Run.exec(tmp, "tar", "-C", src.toString(), "-cf", archive.toString(), ".");
    Path link = Files.createSymbolicLink(tmp.resolve("a-link"), archive.getFileName());
    Map<String, String> before = DirectorySnapshot.of(tmp);
    for (Object[] args : List.of(new Object[] {"-t", archive, "-o", archive}, new Object[] {"-t", link, "-o", archive},
        new Object[] {"-t", archive, "-o", link}, new Object[] {"--layer", archive, "-o", archive})) {
      Run r = Run.of(args);
      assertEquals(3, r.code(), r.err());
      assertTrue(r.err().contains(": is the input archive "), r.err());
    }
    assertEquals(before, DirectorySnapshot.of(tmp));
  }

  @Test void emptyPathsAreUsageErrors() throws Exception {
    Files.writeString(tmp.resolve("a.tar"), "");
    for (Object[] args : List.of(new Object[] {"-d", "", "-o", tmp.resolve("img")},
        new Object[] {"-t", "", "-o", tmp.resolve("img")}, new Object[] {"--layer", "", "-o", tmp.resolve("img")},
        new Object[] {"-d", src, "-o", ""}, new Object[] {"-d", src, "-o", tmp.resolve("img"), "--sign", ""})) {
      Run r = Run.of(args);
      assertEquals(1, r.code(), List.of(args) + ": " + r.err());
      assertTrue(r.err().startsWith("mkdaxfs: an empty path is not a file name"), r.err());
    }
    assertEquals(List.of("a.tar", "src"), Run.names(tmp));
  }
}
