package dev.daxfs.format;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CoderResult;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;

/**
 * Names are bytes (anything but '/' and NUL): what makes one unusable in a directory (base dirent
 * or log entry), shared by replay and fsck, and how one is written as text and read back.
 */
public final class Names {
  private Names() {}

  /**
   * {@code name} as text that tells every two names apart and can be typed back (see {@link
   * #fromText}): valid UTF-8 as it is; each byte that does not decode, and each control character
   * (C0, DEL, C1), as \xNN; the backslash as \\. So a name can neither break a line nor move
   * the terminal.
   */
  public static String text(byte[] name) {
    CharsetDecoder decoder = StandardCharsets.UTF_8.newDecoder()
        .onMalformedInput(CodingErrorAction.REPORT).onUnmappableCharacter(CodingErrorAction.REPORT);
    ByteBuffer in = ByteBuffer.wrap(name);
    CharBuffer chars = CharBuffer.allocate(name.length);
    StringBuilder sb = new StringBuilder(name.length);
    while (true) {
      CoderResult r = decoder.decode(in, chars, true);
      chars.flip();
      while (chars.hasRemaining()) {
        char c = chars.get();
        if (c == '\\') {
          sb.append("\\\\");
        } else if (c < 0x20 || c == 0x7f) {
          hex(sb, c);
        } else if (c >= 0x80 && c <= 0x9f) {
          // Its two UTF-8 bytes: \xNN always stands for one byte of the name.
          hex(sb, 0xc2);
          hex(sb, c);
        } else {
          sb.append(c);
        }
      }
      chars.clear();
      if (!r.isError()) {
        return sb.toString();
      }
      for (int i = 0; i < r.length(); i++) {
        hex(sb, in.get() & 0xff);
      }
    }
  }

  /** {@link #text} in single quotes, as messages quote a name. */
  public static String quoted(byte[] name) {
    return "'" + text(name) + "'";
  }

  /**
   * A whole message that may quote a name from outside the program (a path the JDK decoded, an
   * exception's text): each control character (C0, DEL, C1) as \xNN, so it stays one line and
   * cannot drive the terminal. Backslashes are left alone: names in it are {@link #text} already.
   */
  public static String oneLine(String message) {
    StringBuilder sb = null;
    for (int i = 0; i < message.length(); i++) {
      char c = message.charAt(i);
      boolean control = c < 0x20 || (c >= 0x7f && c <= 0x9f);
      if (control && sb == null) {
        sb = new StringBuilder(message.length() + 16).append(message, 0, i);
      }
      if (sb != null) {
        if (control) {
          hex(sb, c);
        } else {
          sb.append(c);
        }
      }
    }
    return sb == null ? message : sb.toString();
  }

  /** The bytes {@code text} names, reading \xNN and \\ as {@link #text} writes them; the rest as UTF-8. */
  public static byte[] fromText(String text) {
    if (text.indexOf('\\') < 0) {
      return text.getBytes(StandardCharsets.UTF_8);
    }
    ByteArrayOutputStream out = new ByteArrayOutputStream(text.length());
    int plain = 0;
    for (int i = 0; i < text.length(); i++) {
      if (text.charAt(i) != '\\') {
        continue;
      }
      out.writeBytes(text.substring(plain, i).getBytes(StandardCharsets.UTF_8));
      if (i + 1 < text.length() && text.charAt(i + 1) == '\\') {
        out.write('\\');
        i++;
      } else if (i + 3 < text.length() && text.charAt(i + 1) == 'x' && hexDigit(text.charAt(i + 2)) >= 0
          && hexDigit(text.charAt(i + 3)) >= 0) {
        out.write(hexDigit(text.charAt(i + 2)) * 16 + hexDigit(text.charAt(i + 3)));
        i += 3;
      } else {
        out.write('\\');   // a lone backslash means itself
      }
      plain = i + 1;
    }
    out.writeBytes(text.substring(plain).getBytes(StandardCharsets.UTF_8));
    return out.toByteArray();
  }

  private static void hex(StringBuilder sb, int c) {
    sb.append("\\x").append(Character.forDigit(c >> 4, 16)).append(Character.forDigit(c & 15, 16));
  }

  /** The value of an ASCII hex digit, -1 for anything else (Character.digit takes other scripts' digits too). */
  private static int hexDigit(char c) {
    return c >= '0' && c <= '9' ? c - '0' : c >= 'a' && c <= 'f' ? c - 'a' + 10 : c >= 'A' && c <= 'F' ? c - 'A' + 10 : -1;
  }

  /** Why {@code name} cannot be a directory entry, or null when it can. */
  public static String problem(byte[] name) {
    if (name.length == 0) {
      return "empty name";
    }
    if (name.length > Format.NAME_MAX) {
      return "name of " + name.length + " bytes, over " + Format.NAME_MAX;
    }
    if (name.length <= 2 && name[0] == '.' && (name.length == 1 || name[1] == '.')) {
      return "name '" + new String(name, StandardCharsets.US_ASCII) + "'";
    }
    for (byte b : name) {
      if (b == '/' || b == 0) {
        return "name holds " + (b == 0 ? "a NUL" : "'/'");
      }
    }
    return null;
  }
}
