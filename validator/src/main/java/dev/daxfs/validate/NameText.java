package dev.daxfs.validate;

/** How names are shown in messages, and hashed to find duplicates. */
final class NameText {
  private NameText() {}

  /** A name quoted for one line of output: printable ASCII as is, other bytes as \xNN. */
  static String show(byte[] name) {
    StringBuilder sb = new StringBuilder("\"");
    for (byte b : name) {
      int c = b & 0xff;
      if (c >= 0x20 && c < 0x7f && c != '"' && c != '\\') {
        sb.append((char) c);
      } else {
        sb.append(String.format("\\x%02x", c));
      }
    }
    return sb.append('"').toString();
  }

  /** A 64-bit FNV-1a hash: duplicate names are found by sorting hashes, not by holding names. */
  static long hash(byte[] name) {
    long h = 0xcbf29ce484222325L;
    for (byte b : name) {
      h ^= b & 0xff;
      h *= 0x100000001b3L;
    }
    return h;
  }
}
