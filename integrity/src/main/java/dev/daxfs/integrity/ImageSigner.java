package dev.daxfs.integrity;

import dev.daxfs.format.DigestedBytes;
import dev.daxfs.format.Image;
import dev.daxfs.format.ImageDigest;
import java.security.KeyPair;
import java.util.Optional;

/** Signs an image: the private key signs the 32 raw bytes of its digest. */
public final class ImageSigner {
  private ImageSigner() {}

  /**
   * The signature of {@code image} by {@code pair}; FormatException when the image has no digest,
   * IllegalArgumentException for keys other than Ed25519 and Ed448.
   */
  public static SignatureFile sign(Image image, KeyPair pair) {
    SignatureAlgorithm algorithm = SignatureAlgorithm.of(pair.getPrivate()).orElseThrow(
        () -> new IllegalArgumentException("only Ed25519 and Ed448 keys sign images, not "
            + pair.getPrivate().getAlgorithm()));
    DigestedBytes bytes = DigestedBytes.of(image);
    ImageDigest digest = ImageDigest.of(bytes);
    byte[] signature = algorithm.sign(pair.getPrivate(), digest.bytes());
    SegmentDigests segments = SegmentDigests.of(bytes, SegmentDigests.segmentSizeFor(bytes.baseSize()));
    return new SignatureFile(algorithm, digest, signature, Optional.of(KeyFingerprint.of(pair.getPublic())),
        Optional.of(segments));
  }
}
