package dev.daxfs.cli;

import java.util.Locale;
import picocli.CommandLine;

/** Sizes as users type them: bytes, or a number with K, M, G or T (powers of 1024); 0x hex allowed. */
public final class Sizes implements CommandLine.ITypeConverter<Long> {

  public static long parse(String text) {
    String t = text.trim().toUpperCase(Locale.ROOT);
    long unit = 1;
    if (t.endsWith("IB")) {
      t = t.substring(0, t.length() - 2);
    } else if (t.endsWith("B") && t.length() > 1 && !t.startsWith("0X")) {
      t = t.substring(0, t.length() - 1);
    }
    if (!t.isEmpty() && !t.startsWith("0X")) {
      switch (t.charAt(t.length() - 1)) {
        case 'K' -> unit = 1L << 10;
        case 'M' -> unit = 1L << 20;
        case 'G' -> unit = 1L << 30;
        case 'T' -> unit = 1L << 40;
        default -> unit = 1;
      }
      if (unit != 1) {
        t = t.substring(0, t.length() - 1);
      }
    }
    try {
      long n = t.startsWith("0X") ? Long.parseUnsignedLong(t.substring(2), 16) : Long.parseLong(t);
      if (n < 0) {
        throw new IllegalArgumentException("negative size: " + text);
      }
      return Math.multiplyExact(n, unit);
    } catch (NumberFormatException | ArithmeticException e) {
      throw new IllegalArgumentException("not a size: '" + text + "' (use bytes or K, M, G, T suffixes)");
    }
  }

  @Override public Long convert(String value) {
    try {
      return parse(value);
    } catch (IllegalArgumentException e) {
      throw new CommandLine.TypeConversionException(e.getMessage());
    }
  }

  /** A human size like mkfs tools print: 1.5 MiB. */
  public static String human(long bytes) {
    if (bytes < 1024) {
      return bytes + " B";
    }
    String[] units = {"KiB", "MiB", "GiB", "TiB", "PiB", "EiB"};
    double v = bytes;
    int i = -1;
    while (v >= 1024 && i < units.length - 1) {
      v /= 1024;
      i++;
    }
    return String.format(Locale.ROOT, "%.1f %s", v, units[i]);
  }
}
