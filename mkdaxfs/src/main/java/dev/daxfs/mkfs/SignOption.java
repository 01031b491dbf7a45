package dev.daxfs.mkfs;

import dev.daxfs.format.Image;
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

/** --sign KEY and --sig-file SIG, and the digest every written image reports. */
final class SignOption {
  @Option(names = "--sign", paramLabel = "KEY",
      description = "Sign the image with this private key (PEM PKCS#8 or OpenSSH; Ed25519 or Ed448): writes IMAGE.sig"
          + " beside -o IMAGE, or --sig-file. Check it with daxfs-fsck --verify-sig SIG --key PUB.")
  Path key;

  @Option(names = "--sig-file", paramLabel = "SIG",
      description = "Where --sign writes the signature, instead of beside the image; needed with -H, -p and"
          + " --devdax, whose memory has no file beside it.")
  Path signatureFile;

  private KeyPair pair;

  /** Why the options cannot be used as given, or null; {@code output} is -o (null for memory targets). */
  String usageError(Path output, boolean dryRun) {
    if (signatureFile != null && key == null) {
      return "--sig-file is where --sign writes the signature; give --sign KEY";
    }
    if (key != null && dryRun) {
      return "--sign needs an image to sign; it does not go with --dry-run";
    }
    if (key != null && output == null && signatureFile == null) {
      return "--sign on -H, -p or --devdax needs --sig-file SIG: memory has no IMAGE.sig beside it";
    }
    return null;
  }

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
   * The written image file's digest (as the writer computed it) and, with --sign, its signature,
   * written to IMAGE.sig unless --sig-file says otherwise.
   */
  Sealed seal(Path image, ImageDigest digest) throws IOException {
    if (pair == null) {
      return new Sealed(digest, null);
    }
    try (ImageFile file = ImageFile.open(image)) {
      return write(ImageSigner.sign(file.image(), pair),
          signatureFile != null ? signatureFile : SignatureFile.besides(image));
    }
  }

  /** The digest of an image written to memory and, with --sign, its signature written to --sig-file. */
  Sealed seal(Image image) throws IOException {
    if (pair == null) {
      return new Sealed(ImageDigest.of(image), null);
    }
    return write(ImageSigner.sign(image, pair), signatureFile);
  }

  private static Sealed write(SignatureFile signature, Path file) throws IOException {
    try {
      signature.write(file);
    } catch (IOException e) {
      throw new IOException(file + ": cannot write the signature: "
          + (e instanceof java.nio.file.NoSuchFileException ? "no such directory" : e.getMessage()), e);
    }
    return new Sealed(signature.digest(), file);
  }
}
