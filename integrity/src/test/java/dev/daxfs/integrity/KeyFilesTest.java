package dev.daxfs.integrity;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.daxfs.format.Image;
import dev.daxfs.format.ImageBytes;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.KeyPair;
import java.security.PublicKey;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class KeyFilesTest {
  @TempDir Path dir;

  /** A pair loaded from files must be a pair: what one half signs, the other verifies. */
  private void assertSignsAndVerifies(KeyPair pair, PublicKey separatelyLoaded) throws Exception {
    byte[] image = Files.readAllBytes(TestImages.write(dir, "img", 0));
    SignatureFile sig = ImageSigner.sign(Image.open(ImageBytes.of(image)), pair);
    SignatureVerifier.verify(Image.open(ImageBytes.of(image)), sig, separatelyLoaded);
    assertEquals(KeyFingerprint.of(pair.getPublic()), KeyFingerprint.of(separatelyLoaded));
  }

  @Test
  void keygenWritesPemFilesThatReadBack() throws Exception {
    for (SignatureAlgorithm algorithm : SignatureAlgorithm.values()) {
      Path prefix = dir.resolve("k-" + algorithm.standardName());
      List<Path> files = KeyFiles.write(algorithm.generate(), prefix);
      assertEquals(List.of(dir.resolve("k-" + algorithm.standardName() + ".key"),
          dir.resolve("k-" + algorithm.standardName() + ".pub")), files);
      assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(files.get(0))));
      assertTrue(Files.readString(files.get(0)).startsWith("-----BEGIN PRIVATE KEY-----\n"));
      assertTrue(Files.readString(files.get(1)).startsWith("-----BEGIN PUBLIC KEY-----\n"));
      KeyPair pair = KeyFiles.readPrivate(files.get(0));
      assertEquals(algorithm, SignatureAlgorithm.of(pair.getPrivate()).orElseThrow());
      assertSignsAndVerifies(pair, KeyFiles.readPublic(files.get(1)));
      KeyFileException e = assertThrows(KeyFileException.class, () -> KeyFiles.write(algorithm.generate(), prefix));
      assertTrue(e.getMessage().endsWith(".key: exists; refusing to overwrite a key"), e.getMessage());
    }
  }

  @Test
  void opensslKeysLoadAndOurKeysLoadInOpenssl() throws Exception {
    for (String algorithm : List.of("ed25519", "ed448")) {
      Path key = dir.resolve(algorithm + ".pem");
      Path pub = dir.resolve(algorithm + ".pub.pem");
      assertEquals(0, TestImages.run(dir, "openssl", "genpkey", "-algorithm", algorithm, "-out", key.toString()).exit());
      assertEquals(0, TestImages.run(dir, "openssl", "pkey", "-in", key.toString(), "-pubout", "-out", pub.toString()).exit());
      assertSignsAndVerifies(KeyFiles.readPrivate(key), KeyFiles.readPublic(pub));
    }
    List<Path> ours = KeyFiles.write(SignatureAlgorithm.ED25519.generate(), dir.resolve("ours"));
    TestImages.Run derived = TestImages.run(dir, "openssl", "pkey", "-in", ours.get(0).toString(), "-pubout");
    assertEquals(0, derived.exit(), derived.output());
    assertEquals(Files.readString(ours.get(1)).strip(), derived.output().strip());
  }

  @Test
  void sshKeygenEd25519KeysLoad() throws Exception {
    Path key = dir.resolve("id_ed25519");
    TestImages.Run made = TestImages.run(dir, "ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-C", "test", "-f", key.toString());
    assertEquals(0, made.exit(), made.output());
    assertTrue(Files.readString(key).startsWith("-----BEGIN OPENSSH PRIVATE KEY-----"));
    assertSignsAndVerifies(KeyFiles.readPrivate(key), KeyFiles.readPublic(dir.resolve("id_ed25519.pub")));

    Path locked = dir.resolve("locked");
    assertEquals(0, TestImages.run(dir, "ssh-keygen", "-q", "-t", "ed25519", "-N", "secret phrase", "-f",
        locked.toString()).exit());
    KeyFileException e = assertThrows(KeyFileException.class, () -> KeyFiles.readPrivate(locked));
    assertTrue(e.getMessage().contains("passphrase") && e.getMessage().contains("ssh-keygen -p"), e.getMessage());
    // The public half of a locked key is not secret and still loads.
    KeyFiles.readPublic(dir.resolve("locked.pub"));
  }

  @Test
  void keysOfOtherKindsAndWrongHalvesAreRefusedByName() throws Exception {
    Path ec = dir.resolve("ec.pem");
    assertEquals(0, TestImages.run(dir, "openssl", "genpkey", "-algorithm", "EC", "-pkeyopt", "ec_paramgen_curve:P-256",
        "-out", ec.toString()).exit());
    Path ecPub = dir.resolve("ec.pub");
    assertEquals(0, TestImages.run(dir, "openssl", "pkey", "-in", ec.toString(), "-pubout", "-out", ecPub.toString()).exit());
    List<Path> ours = KeyFiles.write(SignatureAlgorithm.ED25519.generate(), dir.resolve("k"));
    Path garbage = Files.writeString(dir.resolve("garbage"), "not a key\n");
    Path cert = Files.writeString(dir.resolve("cert.pem"), "-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n");

    assertMessage(() -> KeyFiles.readPrivate(ec), ec + ": holds a key of type EC; image signatures use Ed25519 or Ed448");
    assertMessage(() -> KeyFiles.readPublic(ecPub), ecPub + ": holds a key of type EC; image signatures use Ed25519 or Ed448");
    assertMessage(() -> KeyFiles.readPrivate(ours.get(1)), ours.get(1) + ": holds a public key; signing needs the private key");
    assertMessage(() -> KeyFiles.readPublic(ours.get(0)), ours.get(0) + ": holds a private key; pass the public key");
    assertMessage(() -> KeyFiles.readPublic(garbage), garbage + ": is neither a PEM nor an OpenSSH key file");
    assertMessage(() -> KeyFiles.readPrivate(cert), cert + ": holds a PEM 'CERTIFICATE' block");
    assertMessage(() -> KeyFiles.readPublic(dir.resolve("missing")), dir.resolve("missing") + ": no such file");
  }

  private interface KeyRead {
    void run() throws Exception;
  }

  private static void assertMessage(KeyRead read, String start) {
    KeyFileException e = assertThrows(KeyFileException.class, read::run);
    assertTrue(e.getMessage().startsWith(start), e.getMessage());
  }
}
