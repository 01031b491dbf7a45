package dev.daxfs.mkfs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.daxfs.format.ImageDigest;
import dev.daxfs.format.ImageFile;
import dev.daxfs.integrity.KeyFiles;
import dev.daxfs.integrity.SignatureAlgorithm;
import dev.daxfs.integrity.SignatureFile;
import dev.daxfs.integrity.SignatureVerifier;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The digest in every summary, and --sign KEY writing IMAGE.sig. */
class SignTest {
  @TempDir Path tmp;
  Path src;
  Path keys;

  @BeforeEach
  void setUp() throws Exception {
    src = Trees.sample(tmp.resolve("src"));
    keys = Files.createDirectory(tmp.resolve("keys"));
  }

  private static String digest(Path image) throws IOException {
    try (ImageFile f = ImageFile.open(image)) {
      return ImageDigest.of(f.image()).hex();
    }
  }

  @Test
  void summaryShowsTheDigestAndTwoBuildsAgree() throws IOException {
    Run a = Run.of("-d", src, "-o", tmp.resolve("a"), "-w", "-D", "128K");
    Run b = Run.of("-d", src, "-o", tmp.resolve("b"), "-w", "-D", "128K", "--json");
    assertEquals(0, a.code(), a.err());
    String hex = digest(tmp.resolve("a"));
    assertTrue(a.out().strip().endsWith(", digest " + hex), a.out());
    assertTrue(b.out().contains(",\"digest\":\"" + hex + "\",\"signature\":null}"), b.out());
    assertEquals(List.of("a", "b", "keys", "src"), Run.names(tmp), "no signature without --sign");
  }

  @Test
  void signWritesASignatureThatVerifies() throws Exception {
    List<Path> pair = KeyFiles.write(SignatureAlgorithm.ED25519.generate(), keys.resolve("k"));
    Path image = tmp.resolve("img");
    Run r = Run.of("-d", src, "-o", image, "--sign", pair.get(0));
    assertEquals(0, r.code(), r.err());
    Path sig = tmp.resolve("img.sig");
    assertTrue(r.out().strip().endsWith(", digest " + digest(image) + ", signed: " + sig), r.out());
    try (ImageFile f = ImageFile.open(image)) {
      SignatureVerifier.verify(f.image(), SignatureFile.read(sig), KeyFiles.readPublic(pair.get(1)));
    }
    Run json = Run.of("-d", src, "-o", image, "--sign", pair.get(0), "--json");
    assertTrue(json.out().contains(",\"signature\":\"" + sig + "\"}"), json.out());
  }

  /**
   * -s 1T --sign: the image is read back to be signed, and its 1 TiB hole is skipped (lseek
   * SEEK_DATA), not scanned (16 GiB took 14 s that way). The signature file holds the digest printed.
   */
  @Test
  @org.junit.jupiter.api.Timeout(60)
  void signingATebibyteImageSkipsItsHole() throws Exception {
    List<Path> pair = KeyFiles.write(SignatureAlgorithm.ED25519.generate(), keys.resolve("k"));
    Path image = tmp.resolve("img");
    Run r = Run.of("-d", src, "-o", image, "-s", "1T", "--sign", pair.get(0));
    assertEquals(0, r.code(), r.err());
    assertEquals(1L << 40, Files.size(image));
    String printed = r.out().substring(r.out().indexOf(", digest ") + 9, r.out().indexOf(", signed: "));
    assertEquals(printed, SignatureFile.read(tmp.resolve("img.sig")).digest().hex());
  }

  @Test
  void sigFileNamesWhereTheSignatureGoes() throws Exception {
    List<Path> pair = KeyFiles.write(SignatureAlgorithm.ED25519.generate(), keys.resolve("k"));
    Path image = tmp.resolve("img");
    Path sig = keys.resolve("release.sig");
    Run r = Run.of("-d", src, "-o", image, "--sign", pair.get(0), "--sig-file", sig);
    assertEquals(0, r.code(), r.err());
    assertTrue(r.out().strip().endsWith(", digest " + digest(image) + ", signed: " + sig), r.out());
    assertTrue(Files.notExists(SignatureFile.besides(image)), "no IMAGE.sig when --sig-file says elsewhere");
    try (ImageFile f = ImageFile.open(image)) {
      SignatureVerifier.verify(f.image(), SignatureFile.read(sig), KeyFiles.readPublic(pair.get(1)));
    }
  }

  @Test
  void memoryTargetsNeedASigFileAndSigFileNeedsSign() throws Exception {
    Path key = KeyFiles.write(SignatureAlgorithm.ED25519.generate(), keys.resolve("k")).get(0);
    for (List<String> target : List.of(List.of("--devdax", "/dev/dax0.0"), List.of("-p", "0x120000000", "-s", "16M"),
        List.of("-H", "/dev/dma_heap/system", "-s", "16M"))) {
      List<Object> args = new ArrayList<>(List.of("-d", src, "--sign", key));
      args.addAll(target);
      Run r = Run.of(args.toArray());
      assertEquals(1, r.code(), r.err());
      assertTrue(r.err().startsWith("mkdaxfs: --sign on -H, -p or --devdax needs --sig-file SIG: memory has no"
          + " IMAGE.sig beside it\n"), r.err());
    }
    Run noSign = Run.of("-d", src, "-o", tmp.resolve("img"), "--sig-file", tmp.resolve("img.sig"));
    assertEquals(1, noSign.code());
    assertTrue(noSign.err().startsWith("mkdaxfs: --sig-file is where --sign writes the signature; give --sign KEY"),
        noSign.err());
  }

  @Test
  void unwritableSigFileIsAnOutputError() throws Exception {
    Path key = KeyFiles.write(SignatureAlgorithm.ED25519.generate(), keys.resolve("k")).get(0);
    Path sig = tmp.resolve("no-such-dir/img.sig");
    Run r = Run.of("-d", src, "-o", tmp.resolve("img"), "--sign", key, "--sig-file", sig);
    assertEquals(3, r.code());
    assertTrue(r.err().contains(sig + ": cannot write the signature: no such directory"), r.err());
  }

  @Test
  void opensshKeysSignToo() throws Exception {
    Assumptions.assumeTrue(sshKeygenInstalled(), "ssh-keygen is not installed");
    Run.exec(keys, "ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-f", keys.resolve("id").toString());
    Run r = Run.of("-d", src, "-o", tmp.resolve("img"), "--sign", keys.resolve("id"));
    assertEquals(0, r.code(), r.err());
    try (ImageFile f = ImageFile.open(tmp.resolve("img"))) {
      SignatureVerifier.verify(f.image(), SignatureFile.read(SignatureFile.besides(tmp.resolve("img"))),
          KeyFiles.readPublic(keys.resolve("id.pub")));
    }
  }

  private static boolean sshKeygenInstalled() {
    for (String dir : System.getenv("PATH").split(":")) {
      if (Files.isExecutable(Path.of(dir, "ssh-keygen"))) {
        return true;
      }
    }
    System.err.println("SKIPPED: ssh-keygen is not installed");
    return false;
  }

  @Test
  void badKeysFailBeforeAnythingIsWritten() throws Exception {
    Path pub = KeyFiles.write(SignatureAlgorithm.ED25519.generate(), keys.resolve("k")).get(1);
    Run r = Run.of("-d", src, "-o", tmp.resolve("img"), "--sign", pub);
    assertEquals(new Run(2, "", "mkdaxfs: " + pub + ": holds a public key; signing needs the private key\n"), r);
    Run missing = Run.of("-d", src, "-o", tmp.resolve("img"), "--sign", keys.resolve("none"));
    assertEquals(2, missing.code());
    assertTrue(missing.err().contains("none: no such file"), missing.err());
    assertEquals(1, Run.of("-d", src, "-o", tmp.resolve("img"), "--sign", pub, "--dry-run").code());
    assertEquals(List.of("keys", "src"), Run.names(tmp));
  }
}
