package dev.daxfs.cli;

/**
 * Messages that quote names from untrusted input (tar entries, directory trees, images): a name
 * may hold any byte but NUL and '/', and a newline or an escape sequence in it must neither split
 * a one-line error nor drive the user's terminal.
 */
public final class PrintableText {
  private PrintableText() {}

  /** {@code text} with every control character (C0, DEL, C1) written as \xNN. */
  public static String oneLine(String text) {
    StringBuilder sb = null;
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      boolean control = c < 0x20 || (c >= 0x7f && c <= 0x9f);
      if (control && sb == null) {
        sb = new StringBuilder(text.length() + 16).append(text, 0, i);
      }
      if (sb != null) {
        if (control) {
          sb.append(String.format("\\x%02x", (int) c));
        } else {
          sb.append(c);
        }
      }
    }
    return sb == null ? text : sb.toString();
  }
}
