package dev.daxfs.integrity;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.daxfs.format.Image;
import dev.daxfs.format.ImageBytes;
import dev.daxfs.format.ImageDigest;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Signatures cross the project/openssl boundary both ways, over the same 32 digest bytes. */
class OpensslInteropTest {
  @TempDir Path dir;

  @Test
  void projectSignatureVerifiesInOpenssl() throws Exception {
    Image image = Image.open(ImageBytes.of(Files.readAllBytes(TestImages.write(dir, "img", 0))));
    List<Path> keys = KeyFiles.write(SignatureAlgorithm.ED25519.generate(), dir.resolve("k"));
    SignatureFile sig = ImageSigner.sign(image, KeyFiles.readPrivate(keys.get(0)));
    Path digest = Files.write(dir.resolve("digest.bin"), ImageDigest.of(image).bytes());
    Path value = Files.write(dir.resolve("sig.bin"), sig.signature());
    TestImages.Run ok = opensslVerify(keys.get(1), digest, value);
    assertEquals(0, ok.exit(), ok.output());
    assertEquals("Signature Verified Successfully", ok.output().strip());

    byte[] other = ImageDigest.of(image).bytes();
    other[0] ^= 1;
    assertNotEquals(0, opensslVerify(keys.get(1), Files.write(dir.resolve("other.bin"), other), value).exit());
  }

  private TestImages.Run opensslVerify(Path pub, Path digest, Path value) throws Exception {
    return TestImages.run(dir, "openssl", "pkeyutl", "-verify", "-pubin", "-inkey", pub.toString(), "-rawin",
        "-in", digest.toString(), "-sigfile", value.toString());
  }

  @Test
  void opensslSignatureVerifiesInTheProject() throws Exception {
    for (String algorithm : List.of("ed25519", "ed448")) {
      byte[] bytes = Files.readAllBytes(TestImages.write(dir, "img", 0));
      Image image = Image.open(ImageBytes.of(bytes));
      Path key = dir.resolve(algorithm + ".pem");
      assertEquals(0, TestImages.run(dir, "openssl", "genpkey", "-algorithm", algorithm, "-out", key.toString()).exit());
      Path digest = Files.write(dir.resolve("digest.bin"), ImageDigest.of(image).bytes());
      Path value = dir.resolve("sig.bin");
      TestImages.Run signed = TestImages.run(dir, "openssl", "pkeyutl", "-sign", "-inkey", key.toString(), "-rawin",
          "-in", digest.toString(), "-out", value.toString());
      assertEquals(0, signed.exit(), signed.output());

      // The file a user writes by hand around openssl's output: the four required lines.
      String text = SignatureFile.MAGIC + "\nalgorithm: " + algorithm + "\ndigest-algorithm: SHA-256\ndigest: "
          + ImageDigest.of(image).hex() + "\nsignature: " + Base64.getEncoder().encodeToString(Files.readAllBytes(value)) + "\n";
      SignatureFile sig = SignatureFile.parse(text, "hand.sig");
      KeyPair pair = KeyFiles.readPrivate(key);
      assertEquals(ImageDigest.of(image), SignatureVerifier.verify(image, sig, pair.getPublic()));
      assertEquals(Optional.empty(), sig.segments());

      bytes[(int) image.superblock().baseOffset() + 1] ^= 1;
      VerificationException e = assertThrows(VerificationException.class,
          () -> SignatureVerifier.verify(Image.open(ImageBytes.of(bytes)), sig, pair.getPublic()));
      assertEquals(VerificationException.Failure.OTHER_IMAGE, e.failure(), e.getMessage());
    }
  }
}
