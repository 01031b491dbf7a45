package dev.daxfs.validate;

import dev.daxfs.format.ImageBytes;

/** Where bytes the sheet fixes at zero (tails, reserved fields, free records) are not. */
final class ZeroBytes {
  private ZeroBytes() {}

  /** Absolute offset of the first non-zero byte of [at, at + length), or -1; the range must be inside. */
  static long firstNonZero(ImageBytes bytes, long at, long length, String structure) {
    if (bytes.isZero(at, length, structure)) {
      return -1;
    }
    for (long i = 0; ; i++) {
      if (bytes.u8(at + i, structure) != 0) {
        return at + i;
      }
    }
  }

  /** "byte 0x2a" for the problem line. */
  static String found(ImageBytes bytes, long at, String structure) {
    return String.format("byte 0x%02x", bytes.u8(at, structure));
  }
}
