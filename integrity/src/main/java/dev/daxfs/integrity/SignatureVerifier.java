package dev.daxfs.integrity;

import static dev.daxfs.integrity.VerificationException.Failure.BAD_SIGNATURE;
import static dev.daxfs.integrity.VerificationException.Failure.IMAGE_CHANGED;
import static dev.daxfs.integrity.VerificationException.Failure.NO_DIGEST;
import static dev.daxfs.integrity.VerificationException.Failure.OTHER_IMAGE;
import static dev.daxfs.integrity.VerificationException.Failure.TRUNCATED_IMAGE;
import static dev.daxfs.integrity.VerificationException.Failure.WRONG_KEY;

import dev.daxfs.format.DigestedBytes;
import dev.daxfs.format.FormatException;
import dev.daxfs.format.Image;
import dev.daxfs.format.ImageBytes;
import dev.daxfs.format.ImageDigest;
import java.security.PublicKey;
import java.util.ArrayList;
import java.util.List;

/**
 * Checks an image against a signature: accepted exactly when the image's digest is the signed
 * digest and the signature over it verifies with the key. Everything else in the signature file
 * (key fingerprint, segment digests) only shapes the message when the check fails.
 */
public final class SignatureVerifier {
  private SignatureVerifier() {}

  /** As below, for bytes that may not even hold a superblock (a truncated file). */
  public static ImageDigest verify(ImageBytes bytes, SignatureFile signature, PublicKey key)
      throws VerificationException {
    Image image;
    try {
      image = Image.open(bytes);
    } catch (FormatException e) {
      throw new VerificationException(TRUNCATED_IMAGE, "image truncated: " + e.getMessage());
    }
    return verify(image, signature, key);
  }

  /** The verified digest, or a VerificationException saying what does not match. */
  public static ImageDigest verify(Image image, SignatureFile signature, PublicKey key) throws VerificationException {
    SignatureAlgorithm keyAlgorithm = SignatureAlgorithm.of(key).orElseThrow(() -> new VerificationException(
        WRONG_KEY, "wrong key: a " + key.getAlgorithm() + " key cannot check an image signature"));
    if (keyAlgorithm != signature.algorithm()) {
      throw new VerificationException(WRONG_KEY, "wrong key: the signature is " + signature.algorithm().standardName()
          + " but the key is " + keyAlgorithm.standardName());
    }
    DigestedBytes bytes;
    try {
      bytes = DigestedBytes.of(image);
    } catch (FormatException e) {
      boolean truncated = Long.compareUnsigned(image.bytes().size(), image.superblock().totalSize()) < 0;
      throw new VerificationException(truncated ? TRUNCATED_IMAGE : NO_DIGEST,
          truncated ? "image " + e.detail() : "image has no digest: " + e.getMessage());
    }
    ImageDigest digest = ImageDigest.of(bytes);
    if (!digest.equals(signature.digest())) {
      throw mismatch(bytes, digest, signature);
    }
    if (!keyAlgorithm.verify(key, digest.bytes(), signature.signature())) {
      KeyFingerprint given = KeyFingerprint.of(key);
      if (signature.key().isEmpty()) {
        throw new VerificationException(WRONG_KEY, "signature does not verify with the given key " + given
            + ": wrong key, or the signature value was altered");
      }
      if (!signature.key().get().equals(given)) {
        throw new VerificationException(WRONG_KEY, "wrong key: the image was signed by key "
            + signature.key().get() + ", not by the given key " + given);
      }
      throw new VerificationException(BAD_SIGNATURE, "signature does not verify although the key (" + given
          + ") and the digest match: the signature value was altered");
    }
    return digest;
  }

  /** Says where the image differs from the signed one, or that it is another image. */
  private static VerificationException mismatch(DigestedBytes bytes, ImageDigest digest, SignatureFile signature) {
    String digests = " (image digest " + digest.hex() + ", signed " + signature.digest().hex() + ")";
    if (signature.segments().isEmpty()) {
      return new VerificationException(OTHER_IMAGE, "image does not match the signed digest: it changed since it"
          + " was signed, or the signature is for another image" + digests);
    }
    SegmentDigests signed = signature.segments().get();
    long baseSize = bytes.baseSize();
    if (SegmentDigests.countFor(baseSize, signed.segmentSize()) != signed.digests().size() - 1) {
      return new VerificationException(OTHER_IMAGE, "signature is for another image: its base region has a different size"
          + digests);
    }
    List<Long> here = SegmentDigests.of(bytes, signed.segmentSize()).digests();
    List<Integer> differing = new ArrayList<>();
    for (int i = 0; i < here.size(); i++) {
      if (!here.get(i).equals(signed.digests().get(i))) {
        differing.add(i);
      }
    }
    if (differing.size() * 2 > here.size()) {
      return new VerificationException(OTHER_IMAGE, "signature is for another image: " + differing.size() + " of "
          + here.size() + " parts differ" + digests);
    }
    List<String> where = new ArrayList<>();
    for (int i : differing) {
      if (i == 0) {
        where.add("superblock");
      } else {
        long start = bytes.baseOffset() + (i - 1) * signed.segmentSize();
        long end = Math.min(start + signed.segmentSize(), bytes.baseOffset() + baseSize);
        where.add("bytes " + start + ".." + (end - 1));
      }
    }
    String shown = String.join(", ", where.subList(0, Math.min(3, where.size())))
        + (where.size() > 3 ? " and " + (where.size() - 3) + " more parts" : "");
    return new VerificationException(IMAGE_CHANGED, "image changed since it was signed"
        + (where.isEmpty() ? "" : ", in " + shown) + digests);
  }
}
