package dev.daxfs.inspect;

import java.nio.charset.StandardCharsets;

/** Names and targets (raw bytes in the image) made safe to print. */
final class Text {
  private Text() {}

  /** UTF-8 where valid (replacement characters otherwise), control characters as \xNN. */
  static String of(byte[] raw) {
    String s = new String(raw, StandardCharsets.UTF_8);
    StringBuilder sb = new StringBuilder(s.length());
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c < 0x20 || c == 0x7f || c == '\\') {
        sb.append(c == '\\' ? "\\\\" : String.format("\\x%02x", (int) c));
      } else {
        sb.append(c);
      }
    }
    return sb.toString();
  }
}
