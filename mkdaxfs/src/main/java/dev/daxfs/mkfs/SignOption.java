package dev.daxfs.mkfs;

import dev.daxfs.format.ImageDigest;
import dev.daxfs.format.ImageFile;
import dev.daxfs.integrity.ImageSigner;
import dev.daxfs.integrity.KeyFileException;
import dev.daxfs.integrity.KeyFiles;
import dev.daxfs.integrity.SignatureFile;
import java.io.IOException;
import java.nio.file.Path;
import java.security.KeyPair;
import picocli.CommandLine.Option;

/** --sign KEY, and the digest every written image reports. */
final class SignOption {
  @Option(names = "--sign", paramLabel = "KEY",
      description = "Sign the image with this private key (PEM PKCS#8 or OpenSSH; Ed25519 or Ed448): writes IMAGE.sig"
          + " beside it. Check it with daxfs-fsck --verify-sig IMAGE.sig --key PUB IMAGE.")
  Path key;

  private KeyPair pair;

  /** Reads the key before any input, so that a bad key fails before the work is done. */
  void loadKey() throws InputException {
    if (key != null) {
      try {
        pair = KeyFiles.readPrivate(key);
      } catch (KeyFileException e) {
        throw new InputException(e.getMessage(), e);
      }
    }
  }

  /** What was sealed: the image digest and, with --sign, the signature file written (else null). */
  record Sealed(ImageDigest digest, Path signature) {}

  /**
   * The written image's digest (as the writer computed it) and, with --sign, its signature
   * written beside it.
   */
  Sealed seal(Path image, ImageDigest digest) throws IOException {
    if (pair == null) {
      return new Sealed(digest, null);
    }
    try (ImageFile file = ImageFile.open(image)) {
      SignatureFile signature = ImageSigner.sign(file.image(), pair);
      Path sig = SignatureFile.besides(image);
      signature.write(sig);
      return new Sealed(signature.digest(), sig);
    }
  }
}
