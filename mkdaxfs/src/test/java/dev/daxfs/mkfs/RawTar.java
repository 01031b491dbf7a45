package dev.daxfs.mkfs;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/** Writes tar bytes header by header, so tests can craft archives no tar tool would write. */
final class RawTar {
  private final ByteArrayOutputStream out = new ByteArrayOutputStream();

  /** A complete member: header, data, padding. */
  RawTar entry(String name, char type, int mode, String link, byte[] data) {
    header(name.getBytes(StandardCharsets.UTF_8), type, mode, 0, 0, data.length, link);
    data(data);
    return this;
  }

  RawTar file(String name, String content) {
    return entry(name, '0', 0644, "", content.getBytes(StandardCharsets.UTF_8));
  }

  RawTar dir(String name) {
    return entry(name, '5', 0755, "", new byte[0]);
  }

  /** A PAX extended header ('x') holding one record. */
  RawTar pax(String key, String value) {
    return extended('x', record(key, value));
  }

  /** An extended header of {@code type} ('x', 'g', 'L', 'K') holding {@code body}. */
  RawTar extended(char type, byte[] body) {
    header("././@PaxHeader".getBytes(StandardCharsets.UTF_8), type, 0644, 0, 0, body.length, "");
    data(body);
    return this;
  }

  /** One PAX record, "LENGTH KEY=VALUE\n", LENGTH counting itself. */
  static byte[] record(String key, String value) {
    int body = (key + "=" + value + "\n").getBytes(StandardCharsets.UTF_8).length;
    int len = body + 3;
    while (String.valueOf(len).length() + 1 + body != len) {
      len = String.valueOf(len).length() + 1 + body;
    }
    return (len + " " + key + "=" + value + "\n").getBytes(StandardCharsets.UTF_8);
  }

  /** A header alone; {@code size} is what the size field claims, whatever follows. */
  RawTar header(byte[] name, char type, int mode, int uid, int gid, long size, String link) {
    byte[] h = new byte[512];
    System.arraycopy(name, 0, h, 0, Math.min(100, name.length));
    octal(h, 100, 8, mode);
    octal(h, 108, 8, uid);
    octal(h, 116, 8, gid);
    octal(h, 124, 12, size);
    octal(h, 136, 12, 0);
    h[156] = (byte) type;
    byte[] l = link.getBytes(StandardCharsets.UTF_8);
    System.arraycopy(l, 0, h, 157, Math.min(100, l.length));
    System.arraycopy("ustar\u000000".getBytes(StandardCharsets.US_ASCII), 0, h, 257, 8);
    Arrays.fill(h, 148, 156, (byte) ' ');
    long sum = 0;
    for (byte b : h) {
      sum += b & 0xff;
    }
    octal(h, 148, 7, sum);
    out.writeBytes(h);
    return this;
  }

  RawTar data(byte[] data) {
    out.writeBytes(data);
    out.writeBytes(new byte[(512 - data.length % 512) % 512]);
    return this;
  }

  /** The archive with its two zero end blocks. */
  byte[] finish() {
    out.writeBytes(new byte[1024]);
    return out.toByteArray();
  }

  /** The bytes so far, without end blocks (a cut-off archive). */
  byte[] unfinished() {
    return out.toByteArray();
  }

  /** Octal as tar writes it; numbers too large for the field in GNU base-256 (0x80, big-endian). */
  private static void octal(byte[] h, int off, int len, long value) {
    String s = Long.toOctalString(value);
    if (s.length() > len - 1) {
      h[off] = (byte) 0x80;
      for (int i = off + len - 1; i > off; i--, value >>>= 8) {
        h[i] = (byte) value;
      }
      return;
    }
    s = "0".repeat(len - 1 - s.length()) + s;
    byte[] b = s.getBytes(StandardCharsets.US_ASCII);
    System.arraycopy(b, 0, h, off, len - 1);
    h[off + len - 1] = 0;
  }
}
