package dev.daxfs.integrity;

import dev.daxfs.format.ImageDigest;
import java.security.PublicKey;
import java.util.Base64;

/**
 * Names a public key in messages and signature files: "SHA256:" and the unpadded base64 of the
 * SHA-256 of its SubjectPublicKeyInfo DER (what {@code openssl pkey -pubout -outform DER} prints).
 */
public record KeyFingerprint(String text) {
  public static KeyFingerprint of(PublicKey key) {
    byte[] hash = ImageDigest.sha256().digest(key.getEncoded());
    return new KeyFingerprint("SHA256:" + Base64.getEncoder().withoutPadding().encodeToString(hash));
  }

  @Override public String toString() { return text; }
}
