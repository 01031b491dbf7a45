package dev.daxfs.fsck;

import dev.daxfs.format.ImageBytes;
import dev.daxfs.format.ImageDigest;
import dev.daxfs.integrity.KeyFileException;
import dev.daxfs.integrity.KeyFingerprint;
import dev.daxfs.integrity.KeyFiles;
import dev.daxfs.integrity.SignatureFile;
import dev.daxfs.integrity.SignatureVerifier;
import dev.daxfs.integrity.VerificationException;
import java.nio.file.Path;
import java.security.PublicKey;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import picocli.CommandLine.Option;

/**
 * --verify-sig SIG --key PUB: the image must match a detached signature (made by mkdaxfs --sign)
 * before it is validated; a mismatch ends the check with exit status 4.
 */
final class SignatureOptions {
  @Option(names = "--verify-sig", paramLabel = "SIG",
      description = "Check the image (a file or memory) against this signature file (from mkdaxfs --sign) first;"
          + " any mismatch exits 4. Needs --key.")
  Path signature;

  @Option(names = "--key", paramLabel = "PUB",
      description = "Public key for --verify-sig: PEM (PUBLIC KEY) or an OpenSSH .pub line.")
  Path key;

  /** The outcome, for the JSON report. */
  final Map<String, Object> result = new LinkedHashMap<>();

  boolean requested() { return signature != null || key != null; }

  /** Why the options cannot be used as given, or null. */
  String usageError() {
    if (signature != null && key == null) {
      return "--verify-sig needs --key PUB";
    }
    if (key != null && signature == null) {
      return "--key is for --verify-sig SIG";
    }
    return null;
  }

  /**
   * Verifies and returns the line to print; VerificationException for a mismatch (exit 4),
   * KeyFileException for a key that cannot be used (exit 8).
   */
  String verify(String image, ImageBytes bytes) throws VerificationException, KeyFileException {
    result.put("signature_file", signature.toString());
    try {
      PublicKey publicKey = KeyFiles.readPublic(key);
      result.put("key", KeyFingerprint.of(publicKey).toString());
      SignatureFile sig = SignatureFile.read(signature);
      result.put("algorithm", sig.algorithm().standardName());
      ImageDigest digest = SignatureVerifier.verify(bytes, sig, publicKey);
      result.put("verified", true);
      result.put("digest", digest.hex());
      return image + ": signature OK (" + sig.algorithm().standardName() + ", key " + result.get("key")
          + ", image digest " + digest.hex() + ")";
    } catch (VerificationException e) {
      result.put("verified", false);
      result.put("failure", e.failure().name().toLowerCase(Locale.ROOT));
      result.put("message", e.getMessage());
      throw e;
    }
  }
}
