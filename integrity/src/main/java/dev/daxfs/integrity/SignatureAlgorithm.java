package dev.daxfs.integrity;

import java.security.GeneralSecurityException;
import java.security.Key;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.Signature;
import java.security.interfaces.EdECKey;
import java.util.Arrays;
import java.util.Optional;

/**
 * The signature algorithms an image signature may use: pure EdDSA, which signs the 32 digest bytes
 * themselves (no pre-hash), exactly as {@code openssl pkeyutl -sign -rawin} does.
 */
public enum SignatureAlgorithm {
  ED25519("Ed25519", 64),
  ED448("Ed448", 114);

  public static final SignatureAlgorithm DEFAULT = ED25519;

  private final String standardName;
  private final int signatureLength;

  SignatureAlgorithm(String standardName, int signatureLength) {
    this.standardName = standardName;
    this.signatureLength = signatureLength;
  }

  /** The name as the JDK, OpenSSL and signature files spell it ("Ed25519"). */
  public String standardName() { return standardName; }

  int signatureLength() { return signatureLength; }

  /** By name, ignoring case, as written in a signature file or typed by a user. */
  public static Optional<SignatureAlgorithm> named(String name) {
    return Arrays.stream(values()).filter(a -> a.standardName.equalsIgnoreCase(name)).findFirst();
  }

  /** The algorithm of a key, or empty for keys of other kinds (RSA, ECDSA...). */
  public static Optional<SignatureAlgorithm> of(Key key) {
    return key instanceof EdECKey ed ? named(ed.getParams().getName()) : Optional.empty();
  }

  public KeyPair generate() {
    try {
      return KeyPairGenerator.getInstance(standardName).generateKeyPair();
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("the JDK lacks " + standardName, e);
    }
  }

  byte[] sign(PrivateKey key, byte[] message) {
    try {
      Signature s = Signature.getInstance(standardName);
      s.initSign(key);
      s.update(message);
      return s.sign();
    } catch (GeneralSecurityException e) {
      throw new IllegalArgumentException("cannot sign with this " + standardName + " key: " + e.getMessage(), e);
    }
  }

  boolean verify(PublicKey key, byte[] message, byte[] signature) {
    try {
      Signature s = Signature.getInstance(standardName);
      s.initVerify(key);
      s.update(message);
      return s.verify(signature);
    } catch (GeneralSecurityException e) {
      return false;
    }
  }
}
