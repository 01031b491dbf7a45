package dev.daxfs.mkfs;

import dev.daxfs.format.DataRanges;
import dev.daxfs.format.Image;
import dev.daxfs.format.ImageDigest;
import dev.daxfs.format.ImageBytes;
import dev.daxfs.integrity.ImageSigner;
import dev.daxfs.integrity.KeyFileException;
import dev.daxfs.integrity.KeyFiles;
import dev.daxfs.integrity.SignatureFile;
import dev.daxfs.nativemem.OutputFile;
import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
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

  /** Where --sign writes the signature of the image file {@code output}. */
  Path signatureFor(Path output) {
    return signatureFile != null ? signatureFile : SignatureFile.besides(output);
  }

  /**
   * Writes {@code image} (the image file -o IMAGE, complete but still unnamed) into place with,
   * under --sign, its signature. What is signed is the file this process wrote, read through its
   * own descriptor before the file has a name (so nobody can swap another image in), and it must
   * have the digest the writer computed while writing it.
   */
  Sealed commit(Path output, OutputFile image, ImageDigest digest) throws IOException {
    if (pair == null) {
      image.commit();
      return new Sealed(digest, null);
    }
    SignatureFile signature;
    try (Arena arena = Arena.ofConfined()) {
      FileChannel ch = image.channel();
      MemorySegment bytes = ch.map(FileChannel.MapMode.READ_ONLY, 0, ch.size(), arena);
      // The holes the writer left (padding, -s) are skipped unread: -s 16G took 14 s to scan.
      DataRanges holes = new DataRanges() {
        @Override public long nextData(long from, long end) throws IOException { return image.nextData(from, end); }

        @Override public long nextHole(long from, long end) throws IOException { return image.nextHole(from, end); }
      };
      signature = ImageSigner.sign(Image.open(new ImageBytes(bytes, piece -> { }, holes)), pair);
    }
    if (!signature.digest().equals(digest)) {
      throw new IOException("the image changed after it was written (digest " + signature.digest().hex()
          + ", written " + digest.hex() + "); not signed");
    }
    Path file = signatureFor(output);
    try (OutputFile sig = create(file)) {
      write(sig, signature, file);
      image.commit();
      sig.commit();
    }
    return new Sealed(digest, file);
  }

  /** The digest of an image written to memory and, with --sign, its signature written to --sig-file. */
  Sealed seal(Image image) throws IOException {
    if (pair == null) {
      return new Sealed(ImageDigest.of(image), null);
    }
    SignatureFile signature = ImageSigner.sign(image, pair);
    try (OutputFile sig = create(signatureFile)) {
      write(sig, signature, signatureFile);
      sig.commit();
    }
    return new Sealed(signature.digest(), signatureFile);
  }

  /** Refuses, before any work, a signature path that cannot be written (-o is null for memory targets). */
  void refuseUnwritable(Path output) throws IOException {
    Path file = output == null ? signatureFile : signatureFor(output);
    try {
      OutputFile.resolve(file);
    } catch (IOException e) {
      throw explained(file, e);
    }
  }

  private static OutputFile create(Path file) throws IOException {
    try {
      return OutputFile.create(file, 0644);
    } catch (IOException e) {
      throw explained(file, e);
    }
  }

  private static IOException explained(Path file, IOException e) {
    return new IOException(file + ": cannot write the signature: " + OutputFile.reason(e, file), e);
  }

  private static void write(OutputFile sig, SignatureFile signature, Path file) throws IOException {
    try {
      ByteBuffer text = ByteBuffer.wrap(signature.encode().getBytes(StandardCharsets.US_ASCII));
      while (text.hasRemaining()) {
        sig.channel().write(text, text.position());
      }
    } catch (IOException e) {
      throw new IOException(file + ": cannot write the signature: " + e.getMessage(), e);
    }
  }
}
