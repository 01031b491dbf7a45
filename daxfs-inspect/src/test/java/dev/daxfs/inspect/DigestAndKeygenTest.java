package dev.daxfs.inspect;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.daxfs.format.Content;
import dev.daxfs.format.ImageDigest;
import dev.daxfs.format.ImageLayout;
import dev.daxfs.format.ImageSpec;
import dev.daxfs.format.ImageWriter;
import dev.daxfs.format.KernelImages;
import dev.daxfs.format.Node;
import dev.daxfs.integrity.KeyFiles;
import dev.daxfs.integrity.KeyFingerprint;
import java.io.IOException;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** daxfs-inspect digest and keygen. */
class DigestAndKeygenTest {
  @TempDir Path dir;
  private StringWriter out = new StringWriter();
  private StringWriter err = new StringWriter();

  private int run(String... args) {
    Run r = Run.of(args);
    out = new StringWriter();
    err = new StringWriter();
    out.write(r.out());
    err.write(r.err());
    return r.status();
  }

  private Path kernelImage(String name) throws IOException {
    return Files.write(dir.resolve(name + ".daxfs"), KernelImages.image(name));
  }

  @Test void digestIsTheSameBeforeAndAfterTheKernelWroteBranches() throws IOException {
    Path before = kernelImage("base-input");
    Path after = kernelImage("child-commit");
    assertTrue(Files.mismatch(before, after) >= 0, "the kernel changed the image");
    assertEquals(0, run("digest", "-f", before.toString()), err::toString);
    String line = out.toString();
    assertTrue(line.matches("[0-9a-f]{64}  " + java.util.regex.Pattern.quote(before.toString()) + "\n"), line);
    assertEquals(0, run("digest", "-f", after.toString()), err::toString);
    assertEquals(line.substring(0, 64), out.toString().substring(0, 64));
    assertEquals(0, run("digest", "--json", "-f", after.toString()));
    assertTrue(out.toString().contains("\"algorithm\":\"SHA-256\",\"digest\":\"" + line.substring(0, 64) + "\""), out::toString);
  }

  @Test void digestOfATruncatedImageIsAProblem() throws IOException {
    Path image = kernelImage("base-input");
    byte[] b = Files.readAllBytes(image);
    Files.write(image, java.util.Arrays.copyOf(b, b.length - 1));
    assertEquals(2, run("digest", "-f", image.toString()));
    assertTrue(err.toString().contains("truncated"), err::toString);
    assertEquals("", out.toString());
  }

  /**
   * The digest mkdaxfs prints (the one ImageWriter computes while writing) is the one digest reads
   * back, for a branching image and a static one padded to a fixed size (-s); a non-zero byte in
   * that padding leaves the image without a digest.
   */
  @Test void digestEqualsTheWrittenOneAndRefusesANonZeroPaddingByte() throws IOException {
    Node.Directory root = new Node.Directory(new byte[0], 0755, 0, 0, List.of(
        new Node.File(Node.name("a"), 0644, 0, 0, 3, Content.of("abc".getBytes()))));
    for (ImageSpec spec : List.of(ImageSpec.branching(1 << 20), new ImageSpec(false, 0, 1 << 20))) {
      Path image = dir.resolve("img.daxfs");
      ImageDigest written = ImageWriter.write(ImageLayout.plan(root, spec), image, ImageWriter.Progress.NONE);
      assertEquals(0, run("digest", "-f", image.toString()), err::toString);
      assertEquals(written.hex() + "  " + image + "\n", out.toString(), spec.toString());
    }
    Path padded = dir.resolve("img.daxfs");
    byte[] b = Files.readAllBytes(padded);
    b[b.length - 1] = 1;
    Files.write(padded, b);
    assertEquals(2, run("digest", "-f", padded.toString()));
    assertTrue(err.toString().contains("offset " + (b.length - 1) + ": byte 0x01 lies in no region"), err::toString);
    assertEquals("", out.toString());
  }

  @Test void keygenWritesAPairThatLoads() throws Exception {
    Path prefix = dir.resolve("signing");
    assertEquals(0, run("keygen", "-o", prefix.toString()), err::toString);
    var pair = KeyFiles.readPrivate(dir.resolve("signing.key"));
    assertEquals(KeyFingerprint.of(pair.getPublic()), KeyFingerprint.of(KeyFiles.readPublic(dir.resolve("signing.pub"))));
    assertEquals("wrote " + prefix + ".key (private) and " + prefix + ".pub (public): Ed25519 key "
        + KeyFingerprint.of(pair.getPublic()) + "\n", out.toString());
    assertEquals(3, run("keygen", "-o", prefix.toString()));
    assertTrue(err.toString().contains("signing.key: exists; refusing to overwrite a key"), err::toString);
    assertEquals(1, run("keygen", "-t", "rsa", "-o", dir.resolve("r").toString()));
    assertTrue(err.toString().contains("unknown key type 'rsa'"), err::toString);
    assertEquals(0, run("keygen", "-t", "ed448", "-o", dir.resolve("big").toString()), err::toString);
    assertTrue(out.toString().contains(": Ed448 key SHA256:"), out::toString);
  }
}
