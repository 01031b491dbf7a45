package dev.daxfs.inspect;

import dev.daxfs.format.ImageBytes;
import java.io.PrintWriter;
import java.util.HexFormat;

/** Raw bytes of a structure, as --hex shows them. */
final class Hex {
  private Hex() {}

  private static final int LINE = 16;

  /** Lines "    @OFFSET  xx xx ..  |ascii|" for [at, at+length) of the image (length already bounded). */
  static void dump(ImageBytes bytes, long at, long length, PrintWriter out) {
    for (long p = 0; p < length; p += LINE) {
      int n = (int) Math.min(LINE, length - p);
      byte[] b = bytes.bytes(at + p, n, "hex dump");
      StringBuilder hex = new StringBuilder();
      StringBuilder text = new StringBuilder();
      for (int i = 0; i < LINE; i++) {
        hex.append(i < n ? String.format("%02x ", b[i] & 0xff) : "   ").append(i == 7 ? " " : "");
        if (i < n) {
          text.append(b[i] >= 0x20 && b[i] < 0x7f ? (char) b[i] : '.');
        }
      }
      out.printf("    @%08x  %s |%s|%n", at + p, hex, text);
    }
  }

  /** The bytes as one lower-case hex string (JSON). */
  static String string(ImageBytes bytes, long at, long length) {
    return HexFormat.of().formatHex(bytes.bytes(at, length, "hex dump"));
  }
}
