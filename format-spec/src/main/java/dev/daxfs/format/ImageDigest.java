package dev.daxfs.format;

import java.lang.foreign.MemorySegment;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.HexFormat;

/**
 * The SHA-256 digest of the immutable part of an image (see {@link DigestedBytes} and FORMAT.md,
 * "Image digest"). It stays the same while a kernel mounts the image and writes branches, so it
 * identifies the image that was built, on a file or in device memory alike.
 */
public final class ImageDigest {
  public static final String ALGORITHM = "SHA-256";
  public static final int LENGTH = 32;

  /** Large enough to amortise each update, small enough to stay in cache. */
  private static final long CHUNK = 1 << 20;

  private final byte[] value;

  private ImageDigest(byte[] value) {
    this.value = value;
  }

  /** Computes the digest; FormatException as {@link DigestedBytes#of} raises it. */
  public static ImageDigest of(Image image) {
    return of(DigestedBytes.of(image));
  }

  public static ImageDigest of(DigestedBytes bytes) {
    MessageDigest md = sha256();
    md.update(bytes.header());
    bytes.records((index, segment, offset, length) -> BlockRecords.update(md, index, segment, offset, length));
    return new ImageDigest(md.digest());
  }

  /**
   * Feeds a segment of any size and kind (heap, mapped, native) in bounded chunks. Chunks of a
   * mapped file are unmapped from the process once hashed (the page cache keeps them), so digesting
   * a large image does not grow the resident set by the image's size.
   */
  public static void update(MessageDigest md, MemorySegment segment) {
    for (long at = 0; at < segment.byteSize(); at += CHUNK) {
      MemorySegment chunk = segment.asSlice(at, Math.min(CHUNK, segment.byteSize() - at));
      md.update(chunk.asByteBuffer());
      if (chunk.isMapped()) {
        chunk.unload();
      }
    }
  }

  /** A digest read back (from a signature file, for example); must be 32 bytes. */
  public static ImageDigest of(byte[] value) {
    if (value.length != LENGTH) {
      throw new IllegalArgumentException("an image digest has " + LENGTH + " bytes, not " + value.length);
    }
    return new ImageDigest(value.clone());
  }

  /** A new SHA-256 digest: the one place the project sets one up (images, files, dedupe). */
  public static MessageDigest sha256() {
    try {
      return MessageDigest.getInstance(ALGORITHM);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every JDK has " + ALGORITHM, e);
    }
  }

  public byte[] bytes() { return value.clone(); }

  public String hex() { return HexFormat.of().formatHex(value); }

  @Override public boolean equals(Object o) {
    return o instanceof ImageDigest d && MessageDigest.isEqual(value, d.value);
  }

  @Override public int hashCode() { return Arrays.hashCode(value); }

  @Override public String toString() { return "sha256:" + hex(); }
}
