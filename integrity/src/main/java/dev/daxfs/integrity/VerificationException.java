package dev.daxfs.integrity;

/** Why an image does not match its signature, with a one-line message saying so. */
public final class VerificationException extends Exception {
  /** Each way a check can fail; each has its own message. */
  public enum Failure {
    /** The signature file cannot be parsed. */
    GARBLED_SIGNATURE,
    /** The signature file cannot be read at all. */
    UNREADABLE_SIGNATURE,
    /** The image is shorter than its superblock says. */
    TRUNCATED_IMAGE,
    /** The image has no digest (not v3, or no base image inside it). */
    NO_DIGEST,
    /** Some signed bytes differ from the signed image. */
    IMAGE_CHANGED,
    /** The signature belongs to a different image. */
    OTHER_IMAGE,
    /** The signature was made with another key (or another algorithm). */
    WRONG_KEY,
    /** The key is right but the signature value is not: the file was altered. */
    BAD_SIGNATURE
  }

  private final Failure failure;

  VerificationException(Failure failure, String message) {
    super(message);
    this.failure = failure;
  }

  public Failure failure() { return failure; }
}
