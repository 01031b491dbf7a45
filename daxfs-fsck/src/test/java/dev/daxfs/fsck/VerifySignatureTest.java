package dev.daxfs.fsck;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.daxfs.format.Content;
import dev.daxfs.format.Image;
import dev.daxfs.format.ImageBytes;
import dev.daxfs.format.ImageDigest;
import dev.daxfs.format.ImageLayout;
import dev.daxfs.format.ImageSpec;
import dev.daxfs.format.ImageWriter;
import dev.daxfs.format.Node;
import dev.daxfs.format.Structs;
import dev.daxfs.format.Superblock;
import dev.daxfs.integrity.ImageSigner;
import dev.daxfs.integrity.KeyFiles;
import dev.daxfs.integrity.SignatureAlgorithm;
import dev.daxfs.integrity.SignatureFile;
import dev.daxfs.integrity.SignatureVerifier;
import dev.daxfs.integrity.VerificationException;
import dev.daxfs.format.MemoryImage;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** daxfs-fsck --verify-sig SIG --key PUB IMAGE: each mismatch exits 4 with its own message. */
class VerifySignatureTest {
  @TempDir Path dir;
  private final StringWriter out = new StringWriter();
  private final StringWriter err = new StringWriter();
  private Path image;
  private Path sig;
  private Path pub;
  private Path priv;

  private int run(String... args) {
    return Fsck.run(new PrintWriter(out), new PrintWriter(err), args);
  }

  private static Path build(Path file, String contents) throws IOException {
    byte[] data = contents.getBytes();
    Node.Directory root = new Node.Directory(new byte[0], 0755, 0, 0, List.of(
        new Node.File(Node.name("a.txt"), 0644, 0, 0, data.length, Content.of(data))));
    ImageWriter.write(ImageLayout.plan(root, ImageSpec.branching(128 << 10)), file, ImageWriter.Progress.NONE);
    return file;
  }

  @BeforeEach
  void signedImage() throws Exception {
    image = build(dir.resolve("img.daxfs"), "signed contents\n");
    List<Path> keys = KeyFiles.write(SignatureAlgorithm.ED25519.generate(), dir.resolve("key"));
    priv = keys.get(0);
    pub = keys.get(1);
    sig = SignatureFile.besides(image);
    ImageSigner.sign(Image.open(ImageBytes.of(Files.readAllBytes(image))), KeyFiles.readPrivate(keys.get(0))).write(sig);
  }

  private String mismatch(Path img) {
    assertEquals(4, run("--verify-sig", sig.toString(), "--key", pub.toString(), img.toString()), err::toString);
    String line = out.toString().strip();
    assertTrue(line.startsWith(img + ": SIGNATURE MISMATCH: "), line);
    return line.substring(line.indexOf("MISMATCH: ") + 10);
  }

  @Test void matchingImageIsVerifiedThenValidated() throws IOException {
    assertEquals(0, run("--verify-sig", sig.toString(), "--key", pub.toString(), image.toString()), err::toString);
    String digest = ImageDigest.of(Image.open(ImageBytes.of(Files.readAllBytes(image)))).hex();
    String[] lines = out.toString().split("\n");
    assertTrue(lines[0].startsWith(image + ": signature OK (Ed25519, key SHA256:"), lines[0]);
    assertTrue(lines[0].endsWith(", image digest " + digest + ")"), lines[0]);
    assertEquals(image + ": valid (0 errors, 0 warnings)", lines[1]);
  }

  @Test void changedByte() throws IOException {
    byte[] b = Files.readAllBytes(image);
    long inodes = Image.open(ImageBytes.of(b)).superblock().baseOffset() + 4096;
    b[(int) inodes + 10] ^= 1;
    // The base is small enough for one 4096-byte part per block: the message names the block.
    assertTrue(mismatch(Files.write(image, b)).startsWith(
        "image changed since it was signed, in bytes " + inodes + ".." + (inodes + 4095)));
  }

  /**
   * A byte in no region (before a late base, between the base and a late delta region, in the padding
   * of a static image of a fixed size) is not hashed but must be zero: changing one breaks the
   * signature (the image has no digest) and plain fsck warns (rule 61). Each image is signed with
   * its gaps zero and verifies so first.
   */
  @Test void byteInNoRegionBreaksTheSignature() throws Exception {
    byte[] hello = Files.readAllBytes(build(dir.resolve("w.daxfs"), "gaps\n"));
    Superblock w = Image.open(ImageBytes.of(hello)).superblock();
    // -w with the delta region one block later: [old delta offset, + 4096) is in no region.
    byte[] lateDelta = hello.clone();
    putU64(lateDelta, "delta_region_offset", w.deltaRegionOffset() + 4096);
    putU64(lateDelta, "delta_region_size", w.deltaRegionSize() - 4096);
    putU64(lateDelta, "delta_alloc_offset", w.deltaAllocOffset() + 4096);
    // A static image whose base starts one block late.
    Node.Directory root = new Node.Directory(new byte[0], 0755, 0, 0, List.of());
    Path st = dir.resolve("s.daxfs");
    ImageWriter.write(ImageLayout.plan(root, ImageSpec.staticImage()), st, ImageWriter.Progress.NONE);
    byte[] built = Files.readAllBytes(st);
    byte[] lateBase = new byte[built.length + 4096];
    System.arraycopy(built, 0, lateBase, 0, 4096);
    System.arraycopy(built, 4096, lateBase, 8192, built.length - 4096);
    putU64(lateBase, "base_offset", 8192);
    putU64(lateBase, "total_size", lateBase.length);
    // mkdaxfs -s: a static image padded to 1 MiB.
    ImageWriter.write(ImageLayout.plan(root, new ImageSpec(false, 0, 1 << 20)), st, ImageWriter.Progress.NONE);
    byte[] padded = Files.readAllBytes(st);
    var key = KeyFiles.readPrivate(priv);
    for (var c : List.of(Map.entry(lateDelta, w.deltaRegionOffset() + 100), Map.entry(lateBase, 4096L + 4095),
        Map.entry(padded, (long) padded.length - 1))) {
      byte[] b = c.getKey();
      long at = c.getValue();
      Files.write(image, b);
      ImageSigner.sign(Image.open(ImageBytes.of(b)), key).write(sig);
      out.getBuffer().setLength(0);
      assertEquals(0, run("--verify-sig", sig.toString(), "--key", pub.toString(), image.toString()), out::toString);
      assertTrue(out.toString().contains(": valid (0 errors, 0 warnings)"), out::toString);
      b[(int) at] = 7;
      Files.write(image, b);
      out.getBuffer().setLength(0);
      assertEquals("image has no digest: image at offset " + at + ": byte 0x07 lies in no region (base, branch table,"
          + " delta region) and is not zero, as the digest requires", mismatch(image));
      out.getBuffer().setLength(0);
      assertEquals(0, run(image.toString()), err::toString);
      assertTrue(out.toString().contains("rule 61 warning: bytes in no region at offset " + at + ": "), out::toString);
      assertTrue(out.toString().contains(": valid (0 errors, 1 warning)"), out::toString);
    }
  }

  private static void putU64(byte[] b, String field, long v) {
    java.nio.ByteBuffer.wrap(b).order(java.nio.ByteOrder.LITTLE_ENDIAN).putLong((int) Structs.offset(Structs.SUPERBLOCK, field), v);
  }

  @Test void truncatedImage() throws IOException {
    byte[] b = Files.readAllBytes(image);
    assertTrue(mismatch(Files.write(image, java.util.Arrays.copyOf(b, b.length - 4096))).startsWith("image truncated: "));
  }

  @Test void wrongKey() throws Exception {
    pub = KeyFiles.write(SignatureAlgorithm.ED25519.generate(), dir.resolve("other")).get(1);
    assertTrue(mismatch(image).startsWith("wrong key: the image was signed by key SHA256:"));
  }

  @Test void signatureForAnotherImage() throws IOException {
    Path other = build(dir.resolve("other.daxfs"), "x".repeat(100_000));
    assertTrue(mismatch(other).startsWith("signature is for another image: "));
  }

  @Test void garbledSignatureFile() throws IOException {
    Files.writeString(sig, Files.readString(sig).replace("digest-algorithm: SHA-256", "digest-algorithm: MD5"));
    assertTrue(mismatch(image).startsWith(sig + " line 3: garbled signature file: digest algorithm 'MD5'"));
  }

  @Test void jsonReportCarriesTheSignature() throws IOException {
    assertEquals(0, run("--json", "--verify-sig", sig.toString(), "--key", pub.toString(), image.toString()));
    assertTrue(out.toString().contains("\"signature\":{\"signature_file\":\"" + sig + "\",\"key\":\"SHA256:"), out::toString);
    assertTrue(out.toString().contains("\"verified\":true"), out::toString);
  }

  /**
   * Device memory is larger than the image it holds and keeps other bytes after it: verification
   * covers the image at its start (what --devdax and --phys hand over), and a changed byte fails it.
   */
  @Test void imageAtTheStartOfLargerMemoryVerifiesUntilAByteChanges() throws Exception {
    byte[] file = Files.readAllBytes(image);
    MemorySegment memory = Arena.ofAuto().allocate(file.length + (1 << 20));
    memory.fill((byte) 0x5a);
    MemorySegment.copy(MemorySegment.ofArray(file), 0, memory, 0, file.length);
    SignatureFile signature = SignatureFile.read(sig);
    var key = KeyFiles.readPublic(pub);
    SignatureVerifier.verify(MemoryImage.of(memory), signature, key);
    long inodes = Image.open(ImageBytes.of(file)).superblock().baseOffset() + 4096;
    memory.set(ValueLayout.JAVA_BYTE, inodes + 10, (byte) (file[(int) inodes + 10] ^ 1));
    VerificationException e = assertThrows(VerificationException.class,
        () -> SignatureVerifier.verify(MemoryImage.of(memory), signature, key));
    assertEquals(VerificationException.Failure.IMAGE_CHANGED, e.failure());
  }

  @Test void memorySourcesAreVerifiedNotRefused() {
    // No devdax device on the host: the run gets as far as opening it (vm-tests verifies real ones).
    assertEquals(8, run("--verify-sig", sig.toString(), "--key", pub.toString(), "--devdax", "/dev/dax-none9.9"));
    assertTrue(err.toString().startsWith("daxfs-fsck: open /dev/dax-none9.9: No such file or directory"),
        err::toString);
  }

  @Test void missingPiecesAreUsageOrOperationalErrors() {
    assertEquals(16, run("--verify-sig", sig.toString(), image.toString()));
    assertTrue(err.toString().contains("--verify-sig needs --key PUB"), err::toString);
    assertEquals(8, run("--verify-sig", dir.resolve("none.sig").toString(), "--key", pub.toString(), image.toString()));
    assertTrue(err.toString().contains("none.sig: cannot read the signature file: no such file"), err::toString);
    assertEquals(8, run("--verify-sig", sig.toString(), "--key", sig.toString(), image.toString()));
    assertTrue(err.toString().contains(sig + ": is neither a PEM nor an OpenSSH key file"), err::toString);
  }

  /**
   * A static image of a fixed size of 1 TiB, nearly all of it one hole in no region: signing it,
   * --verify-sig and the rule-61 check skip the hole (SEEK_DATA), so each takes a moment, not the
   * half hour 1 TiB of zeros would. One byte written into the hole is still found.
   */
  @Test @org.junit.jupiter.api.Timeout(60) void aTebibyteHoleCostsItsExtents() throws Exception {
    Node.Directory root = new Node.Directory(new byte[0], 0755, 0, 0, List.of(
        new Node.File(Node.name("a.txt"), 0644, 0, 0, 3, Content.of(new byte[] {'a', 'b', '\n'}))));
    Path big = dir.resolve("big.daxfs");
    ImageDigest written = ImageWriter.write(ImageLayout.plan(root, ImageSpec.staticImage().withFixedSize(1L << 40)), big,
        ImageWriter.Progress.NONE);
    Path bigSig = dir.resolve("big.sig");
    try (dev.daxfs.nativemem.InputFile f = dev.daxfs.nativemem.InputFile.open(big, "an image", false);
        dev.daxfs.nativemem.MappedMemory m = f.map()) {
      dev.daxfs.format.DataRanges holes = new dev.daxfs.format.DataRanges() {
        @Override public long nextData(long from, long end) throws IOException { return f.nextData(from, end); }

        @Override public long nextHole(long from, long end) throws IOException { return f.nextHole(from, end); }
      };
      SignatureFile signed = ImageSigner.sign(Image.open(new ImageBytes(m.segment(), m::release, holes)),
          KeyFiles.readPrivate(priv));
      assertEquals(written, signed.digest());
      signed.write(bigSig);
    }
    assertEquals(0, run("--verify-sig", bigSig.toString(), "--key", pub.toString(), big.toString()), err::toString);
    assertTrue(out.toString().contains(big + ": signature OK ("), out::toString);
    assertTrue(out.toString().contains(big + ": valid (0 errors, 0 warnings)"), out::toString);
    try (var ch = java.nio.channels.FileChannel.open(big, java.nio.file.StandardOpenOption.WRITE)) {
      ch.write(java.nio.ByteBuffer.wrap(new byte[] {1}), 1L << 39);
    }
    out.getBuffer().setLength(0);
    String why = mismatch(big);
    assertTrue(why.contains("image has no digest") && why.contains(String.valueOf(1L << 39)), why);
  }
}
