package dev.daxfs.fsck;

import dev.daxfs.format.Format;

/** The name rules shared by dirents (rule 26) and delta entries (rule 47), and how names are shown. */
final class Names {
  private Names() {}

  /** Why {@code name} is not a valid v3 name, or null when it is. */
  static String problem(byte[] name) {
    if (name.length == 0) {
      return "an empty name";
    }
    if (name.length > Format.NAME_MAX) {
      return "a name of " + name.length + " bytes";
    }
    for (byte b : name) {
      if (b == '/' || b == 0) {
        return "a name with " + (b == 0 ? "a NUL byte" : "'/'") + ": " + show(name);
      }
    }
    if ((name.length == 1 && name[0] == '.') || (name.length == 2 && name[0] == '.' && name[1] == '.')) {
      return "the name " + show(name);
    }
    return null;
  }

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
