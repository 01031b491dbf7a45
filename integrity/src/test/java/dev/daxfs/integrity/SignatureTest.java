package dev.daxfs.integrity;

import static dev.daxfs.integrity.VerificationException.Failure.BAD_SIGNATURE;
import static dev.daxfs.integrity.VerificationException.Failure.GARBLED_SIGNATURE;
import static dev.daxfs.integrity.VerificationException.Failure.IMAGE_CHANGED;
import static dev.daxfs.integrity.VerificationException.Failure.OTHER_IMAGE;
import static dev.daxfs.integrity.VerificationException.Failure.TRUNCATED_IMAGE;
import static dev.daxfs.integrity.VerificationException.Failure.WRONG_KEY;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.daxfs.format.Image;
import dev.daxfs.format.ImageBytes;
import dev.daxfs.format.ImageDigest;
import dev.daxfs.format.KernelImages;
import dev.daxfs.format.Structs;
import dev.daxfs.format.Superblock;
import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SignatureTest {
  @TempDir Path dir;

  private static final KeyPair KEY = SignatureAlgorithm.ED25519.generate();

  private static Image image(byte[] bytes) {
    return Image.open(ImageBytes.of(bytes));
  }

  private static VerificationException.Failure failure(byte[] image, SignatureFile sig, KeyPair key) {
    return rejection(image, sig, key).failure();
  }

  private static VerificationException rejection(byte[] image, SignatureFile sig, KeyPair key) {
    return assertThrows(VerificationException.class, () -> SignatureVerifier.verify(image(image), sig, key.getPublic()));
  }

  private byte[] imageBytes(int variant) throws IOException {
    return Files.readAllBytes(TestImages.write(dir, "img" + variant, variant));
  }

  @Test
  void signedImageVerifiesAndTheFileRoundTrips() throws Exception {
    for (SignatureAlgorithm algorithm : SignatureAlgorithm.values()) {
      byte[] bytes = imageBytes(0);
      KeyPair key = algorithm.generate();
      SignatureFile sig = ImageSigner.sign(image(bytes), key);
      Path file = SignatureFile.besides(dir.resolve("img0"));
      assertEquals("img0.sig", file.getFileName().toString());
      sig.write(file);
      SignatureFile read = SignatureFile.read(file);
      assertEquals(sig.encode(), read.encode());
      assertEquals(ImageDigest.of(image(bytes)), SignatureVerifier.verify(image(bytes), read, key.getPublic()));
      assertTrue(sig.encode().contains("algorithm: " + algorithm.standardName() + "\n"));
    }
  }

  @Test
  void oneChangedByteAnywhereInTheSignedRegionIsNamed() throws Exception {
    byte[] bytes = imageBytes(0);
    SignatureFile sig = ImageSigner.sign(image(bytes), KEY);
    Superblock sb = image(bytes).superblock();
    long base = sb.baseOffset();
    long[] offsets = {
        Structs.offset(Structs.SUPERBLOCK, "flags"), Structs.offset(Structs.SUPERBLOCK, "delta_region_size") + 3,
        2000, // the superblock block's tail, which no reader reads

        base, base + 4096 + 70, base + sb.baseSize() / 2, base + sb.baseSize() - 1,
        // zeros the digest does not hash (a block's padding after its last non-zero byte) still count
        base + 4095, lastZero(bytes, base, sb.baseSize())};
    for (long at : offsets) {
      byte[] tampered = bytes.clone();
      tampered[(int) at] ^= 0x04;
      VerificationException e = rejection(tampered, sig, KEY);
      assertEquals(IMAGE_CHANGED, e.failure(), e.getMessage());
      assertTrue(e.getMessage().startsWith("image changed since it was signed, in "), e.getMessage());
      if (at < 4096) {
        assertTrue(e.getMessage().contains("in superblock ("), e.getMessage());
      } else {
        long segment = SegmentDigests.segmentSizeFor(sb.baseSize());
        long start = base + (at - base) / segment * segment;
        assertTrue(e.getMessage().contains("bytes " + start + ".."), at + ": " + e.getMessage());
      }
    }
  }

  /** The last byte of the base that is zero, at the end of the last block holding data. */
  private static long lastZero(byte[] bytes, long base, long size) {
    long at = base + size - 1;
    while (bytes[(int) at] == 0) {
      at--;
    }
    assertTrue(bytes[(int) at + 1] == 0 && bytes[(int) base + 4095] == 0, "the image has padding to change");
    return at + 1;
  }

  @Test
  void whatTheKernelWritesAtRunTimeDoesNotBreakTheSignature() throws Exception {
    SignatureFile sig = ImageSigner.sign(image(KernelImages.image("base-input")), KEY);
    for (String name : List.of("child-active", "child-commit", "remount-after-umount")) {
      byte[] mounted = KernelImages.image(name);
      assertEquals(sig.digest(), SignatureVerifier.verify(image(mounted), sig, KEY.getPublic()), name);
    }
  }

  @Test
  void truncatedImage() throws Exception {
    byte[] bytes = imageBytes(0);
    SignatureFile sig = ImageSigner.sign(image(bytes), KEY);
    for (int cut : List.of(1, 4096, bytes.length - 5000)) {
      VerificationException e = rejection(Arrays.copyOf(bytes, bytes.length - cut), sig, KEY);
      assertEquals(TRUNCATED_IMAGE, e.failure(), e.getMessage());
      assertEquals("image truncated: total_size is " + bytes.length + " bytes but only " + (bytes.length - cut)
          + " are present", e.getMessage());
    }
  }

  @Test
  void wrongKey() throws Exception {
    byte[] bytes = imageBytes(0);
    SignatureFile sig = ImageSigner.sign(image(bytes), KEY);
    VerificationException e = rejection(bytes, sig, SignatureAlgorithm.ED25519.generate());
    assertEquals(WRONG_KEY, e.failure());
    assertTrue(e.getMessage().startsWith("wrong key: the image was signed by key " + KeyFingerprint.of(KEY.getPublic())),
        e.getMessage());
    VerificationException other = rejection(bytes, sig, SignatureAlgorithm.ED448.generate());
    assertEquals(WRONG_KEY, other.failure());
    assertEquals("wrong key: the signature is Ed25519 but the key is Ed448", other.getMessage());
    // Without the key hint, the message cannot tell a wrong key from an altered value, and says so.
    SignatureFile bare = new SignatureFile(sig.algorithm(), sig.digest(), sig.signature(), Optional.empty(), Optional.empty());
    assertEquals(WRONG_KEY, failure(bytes, bare, SignatureAlgorithm.ED25519.generate()));
  }

  @Test
  void signatureForAnotherImage() throws Exception {
    byte[] bytes = imageBytes(0);
    SignatureFile sig = ImageSigner.sign(image(bytes), KEY);
    VerificationException e = rejection(imageBytes(7), sig, KEY);
    assertEquals(IMAGE_CHANGED, e.failure(), "one file differs, in one place: " + e.getMessage());
    byte[] kernel = KernelImages.image("base-input");
    VerificationException other = rejection(kernel, sig, KEY);
    assertEquals(OTHER_IMAGE, other.failure(), other.getMessage());
    assertTrue(other.getMessage().startsWith("signature is for another image: "), other.getMessage());
  }

  @Test
  void garbledSignatureFiles() throws Exception {
    byte[] bytes = imageBytes(0);
    String good = ImageSigner.sign(image(bytes), KEY).encode();
    String sig = good.lines().filter(l -> l.startsWith("signature: ")).findFirst().orElseThrow();
    Map<String, String> cases = Map.of(
        "", "line 1: garbled signature file: not a DAXFS image signature",
        good.replace("algorithm: Ed25519", "algorithm: RSA"), "line 2: garbled signature file: algorithm 'RSA'",
        good.replace("digest: ", "digest: 0"), "line 4: garbled signature file: the digest is not 64",
        good.replace(sig, sig.substring(0, 30) + "!" + sig.substring(31)), "line 5: garbled signature file: the signature is not base64",
        good.replace(sig, sig.substring(0, sig.length() - 4)), "line 5: garbled signature file: the signature has 63 bytes",
        good.replace("digest-algorithm: SHA-256\n", ""), ": garbled signature file: the 'digest-algorithm' line is missing",
        good + "digest: 00\n", "line 8: garbled signature file: 'digest' appears twice",
        good.replace("segments: ", "segments: 4095 "), "line 7: garbled signature file: segment size 4095",
        good.replace("key: SHA256:", "key: MD5:"), "line 6: garbled signature file: the key fingerprint");
    for (var c : cases.entrySet()) {
      VerificationException e = assertThrows(VerificationException.class, () -> SignatureFile.parse(c.getKey(), "x.sig"));
      assertEquals(GARBLED_SIGNATURE, e.failure());
      assertTrue(e.getMessage().startsWith("x.sig" + (c.getValue().startsWith(":") ? "" : " ") + c.getValue()),
          e.getMessage());
    }
  }

  @Test
  void alteredSignatureValue() throws Exception {
    byte[] bytes = imageBytes(0);
    SignatureFile sig = ImageSigner.sign(image(bytes), KEY);
    byte[] value = sig.signature();
    value[10] ^= 1;
    SignatureFile altered = new SignatureFile(sig.algorithm(), sig.digest(), value, sig.key(), sig.segments());
    VerificationException e = rejection(bytes, SignatureFile.parse(altered.encode(), "x.sig"), KEY);
    assertEquals(BAD_SIGNATURE, e.failure());
    assertTrue(e.getMessage().endsWith("the signature value was altered"), e.getMessage());
  }

  @Test
  void signAndVerifyOnDeviceMemory() throws Exception {
    byte[] bytes = imageBytes(0);
    try (Arena arena = Arena.ofConfined()) {
      // Native memory that is no file mapping, larger than the image as device regions are.
      MemorySegment memory = arena.allocate(bytes.length + (1 << 20), 4096);
      MemorySegment.copy(MemorySegment.ofArray(bytes), 0, memory, 0, bytes.length);
      Image device = Image.open(new ImageBytes(memory));
      SignatureFile sig = ImageSigner.sign(device, KEY);
      assertEquals(sig.digest(), SignatureVerifier.verify(image(bytes), sig, KEY.getPublic()));
      assertEquals(sig.digest(), SignatureVerifier.verify(device, ImageSigner.sign(image(bytes), KEY), KEY.getPublic()));
      memory.set(java.lang.foreign.ValueLayout.JAVA_BYTE, device.superblock().baseOffset() + 5000, (byte) 0x7f);
      VerificationException e = assertThrows(VerificationException.class,
          () -> SignatureVerifier.verify(device, sig, KEY.getPublic()));
      assertEquals(IMAGE_CHANGED, e.failure(), e.getMessage());
    }
  }

  @Test
  void signatureIsOverTheRawDigestBytes() throws Exception {
    byte[] bytes = imageBytes(0);
    SignatureFile sig = ImageSigner.sign(image(bytes), KEY);
    var check = java.security.Signature.getInstance("Ed25519");
    check.initVerify(KEY.getPublic());
    check.update(ImageDigest.of(image(bytes)).bytes());
    assertTrue(check.verify(sig.signature()));
    assertEquals(64, Base64.getDecoder().decode(sig.encode().lines().filter(l -> l.startsWith("signature: "))
        .findFirst().orElseThrow().substring(11)).length);
  }
}
