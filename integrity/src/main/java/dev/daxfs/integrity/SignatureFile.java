package dev.daxfs.integrity;

import dev.daxfs.format.ImageDigest;
import dev.daxfs.nativemem.InputFile;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A detached image signature, as a small text file (docs/integrity.md):
 *
 * <pre>
 * daxfs-image-signature 1
 * algorithm: Ed25519
 * digest-algorithm: SHA-256
 * digest: (64 hex digits: the image digest, the message that was signed)
 * signature: (base64 of the signature over the 32 raw digest bytes)
 * key: (fingerprint of the signing key; an optional hint)
 * segments: (segment size and short digests; optional hints, see SegmentDigests)
 * </pre>
 *
 * Each line at most once, in any order after the first. The hints only make failure messages
 * more precise, so a file written by hand around an {@code openssl pkeyutl} signature can omit them.
 */
public record SignatureFile(SignatureAlgorithm algorithm, ImageDigest digest, byte[] signature,
    Optional<KeyFingerprint> key, Optional<SegmentDigests> segments) {

  static final String MAGIC = "daxfs-image-signature 1";
  private static final List<String> REQUIRED = List.of("algorithm", "digest-algorithm", "digest", "signature");
  private static final List<String> FIELDS = List.of(
      "algorithm", "digest-algorithm", "digest", "signature", "key", "segments");
  private static final long MAX_SIZE = 16 * 1024;

  public SignatureFile {
    signature = signature.clone();
  }

  @Override public byte[] signature() { return signature.clone(); }

  /** Where a signature of {@code image} is kept: beside it, with ".sig" appended. */
  public static Path besides(Path image) {
    return image.resolveSibling(image.getFileName() + ".sig");
  }

  public String encode() {
    return MAGIC + "\n"
        + "algorithm: " + algorithm.standardName() + "\n"
        + "digest-algorithm: " + ImageDigest.ALGORITHM + "\n"
        + "digest: " + digest.hex() + "\n"
        + "signature: " + Base64.getEncoder().encodeToString(signature) + "\n"
        + key.map(k -> "key: " + k + "\n").orElse("")
        + segments.map(s -> "segments: " + s.encode() + "\n").orElse("");
  }

  public void write(Path file) throws IOException {
    Files.writeString(file, encode(), StandardCharsets.US_ASCII);
  }

  public static SignatureFile read(Path file) throws VerificationException {
    byte[] bytes;
    try (InputFile in = InputFile.open(file, "a signature file (a regular file)", false)) {
      // Bounded by what is read: a device or a growing file says nothing true with its size.
      bytes = in.readAtMost((int) MAX_SIZE);
    } catch (InputFile.WrongTypeException e) {
      throw new VerificationException(VerificationException.Failure.UNREADABLE_SIGNATURE, e.getMessage());
    } catch (IOException e) {
      throw new VerificationException(VerificationException.Failure.UNREADABLE_SIGNATURE,
          file + ": cannot read the signature file: "
              + (e instanceof java.nio.file.NoSuchFileException ? "no such file" : e.getMessage()));
    }
    if (bytes.length > MAX_SIZE) {
      throw new VerificationException(VerificationException.Failure.GARBLED_SIGNATURE,
          file + ": more than " + MAX_SIZE + " bytes, too big for a signature file");
    }
    return parse(new String(bytes, StandardCharsets.ISO_8859_1), file.toString());
  }

  /** Parses a signature file's text; {@code source} names it in messages. */
  public static SignatureFile parse(String text, String source) throws VerificationException {
    String[] lines = text.split("\n", -1);
    if (!lines[0].equals(MAGIC)) {
      throw garbled(source, 1, "not a DAXFS image signature (the first line must be '" + MAGIC + "')");
    }
    record Field(int line, String value) {}
    Map<String, Field> fields = new LinkedHashMap<>();
    for (int i = 1; i < lines.length; i++) {
      if (lines[i].isEmpty() && i == lines.length - 1) {
        break;
      }
      int colon = lines[i].indexOf(": ");
      String name = colon < 0 ? lines[i] : lines[i].substring(0, colon);
      if (colon < 0 || !FIELDS.contains(name)) {
        throw garbled(source, i + 1, "expected one of " + String.join(", ", FIELDS) + " as 'name: value'");
      }
      if (fields.put(name, new Field(i + 1, lines[i].substring(colon + 2))) != null) {
        throw garbled(source, i + 1, "'" + name + "' appears twice");
      }
    }
    for (String name : REQUIRED) {
      if (!fields.containsKey(name)) {
        throw new VerificationException(VerificationException.Failure.GARBLED_SIGNATURE,
            source + ": garbled signature file: the '" + name + "' line is missing");
      }
    }
    Field f = fields.get("algorithm");
    SignatureAlgorithm algorithm = SignatureAlgorithm.named(f.value()).orElseThrow(
        () -> garbled(source, f.line(), "algorithm '" + f.value() + "' is not Ed25519 or Ed448"));
    Field digestAlgorithm = fields.get("digest-algorithm");
    if (!digestAlgorithm.value().equals(ImageDigest.ALGORITHM)) {
      throw garbled(source, digestAlgorithm.line(), "digest algorithm '" + digestAlgorithm.value() + "' is not "
          + ImageDigest.ALGORITHM);
    }
    Field digest = fields.get("digest");
    if (!digest.value().matches("[0-9a-f]{64}")) {
      throw garbled(source, digest.line(), "the digest is not 64 lowercase hex digits");
    }
    Field signature = fields.get("signature");
    byte[] signatureBytes;
    try {
      signatureBytes = Base64.getDecoder().decode(signature.value());
    } catch (IllegalArgumentException e) {
      throw garbled(source, signature.line(), "the signature is not base64: " + e.getMessage());
    }
    if (signatureBytes.length != algorithm.signatureLength()) {
      throw garbled(source, signature.line(), "the signature has " + signatureBytes.length + " bytes; "
          + algorithm.standardName() + " signatures have " + algorithm.signatureLength());
    }
    Field key = fields.get("key");
    if (key != null && !key.value().matches("SHA256:[A-Za-z0-9+/]{43}")) {
      throw garbled(source, key.line(), "the key fingerprint is not SHA256: and 43 base64 digits");
    }
    Field segments = fields.get("segments");
    SegmentDigests segmentDigests = null;
    try {
      segmentDigests = segments == null ? null : SegmentDigests.parse(segments.value());
    } catch (IllegalArgumentException e) {
      throw garbled(source, segments.line(), e.getMessage());
    }
    return new SignatureFile(algorithm, ImageDigest.of(HexFormat.of().parseHex(digest.value())), signatureBytes,
        Optional.ofNullable(key).map(k -> new KeyFingerprint(k.value())), Optional.ofNullable(segmentDigests));
  }

  private static VerificationException garbled(String source, int line, String message) {
    return new VerificationException(VerificationException.Failure.GARBLED_SIGNATURE,
        source + " line " + line + ": garbled signature file: " + message);
  }
}
