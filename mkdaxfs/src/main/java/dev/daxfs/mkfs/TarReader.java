package dev.daxfs.mkfs;

import dev.daxfs.format.Content;
import java.io.BufferedInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;
import org.apache.commons.compress.compressors.CompressorException;
import org.apache.commons.compress.compressors.CompressorStreamFactory;

/**
 * Reads a tar stream (ustar, GNU and PAX formats) header by header. Headers are parsed here
 * rather than by a library so that every header is checked (checksum, size fields) before
 * anything it announces is read: a PAX or GNU long-name header larger than
 * {@link #MAX_EXTENDED_HEADER} is refused before one byte of it is buffered. Every error names
 * the archive and the entry it happened in.
 */
final class TarReader {
  static final int BLOCK = 512;
  /** PAX records and GNU long names above this are refused unread (PATH_MAX is 4096). */
  static final int MAX_EXTENDED_HEADER = 1 << 20;
  private static final int COPY_CHUNK = 1 << 18;

  private final InputStream in;
  private final String archive;
  private final Map<String, byte[]> globalPax = new HashMap<>();
  private long offset;
  private String current;   // the member whose data is being read
  private String previous;  // the last member, for errors between members
  private long remaining;   // data bytes of the current entry not yet consumed

  private TarReader(InputStream in, String archive) {
    this.in = in;
    this.archive = archive;
  }

  /**
   * A reader over {@code raw}, decompressing gzip, bzip2, xz or zstd when the first bytes say so
   * (the name of the archive plays no part).
   */
  static TarReader open(InputStream raw, String archive) throws InputException {
    InputStream buffered = new BufferedInputStream(raw, 1 << 16);
    try {
      String format = CompressorStreamFactory.detect(buffered);
      return new TarReader(new BufferedInputStream(
          new CompressorStreamFactory().createCompressorInputStream(format, buffered), 1 << 16), archive);
    } catch (CompressorException e) {
      if (e.getCause() instanceof IOException io) {
        throw new InputException(archive + ": cannot read: " + io.getMessage(), io);
      }
      // No compression signature: a plain tar (checked header by header from here on).
      return new TarReader(buffered, archive);
    }
  }

  /** The next member, or null at the end of the archive. The previous member's data is skipped. */
  TarEntry next() throws InputException {
    skip(remaining + padding(remaining));
    remaining = 0;
    if (current != null) {
      previous = current;
      current = null;
    }
    byte[] longName = null;
    byte[] longLink = null;
    Map<String, byte[]> pax = new HashMap<>();
    boolean extended = false;
    while (true) {
      long at = offset;
      byte[] h = readHeader();
      if (h == null || isZero(h)) {
        if (extended) {
          throw error(where() + "archive ends right after an extended header");
        }
        return null;
      }
      checkChecksum(h, at);
      byte type = h[156];
      long size = number(h, 124, 12, "size", at);
      if (type == 'x' || type == 'g' || type == 'L' || type == 'K') {
        if (size > MAX_EXTENDED_HEADER) {
          throw error(where() + "extended header of " + size + " bytes at offset " + at + " (limit "
              + MAX_EXTENDED_HEADER + "), refused unread");
        }
        byte[] data = readData((int) size);
        extended = true;
        switch (type) {
          case 'x' -> pax.putAll(parsePax(data, at));
          case 'g' -> globalPax.putAll(parsePax(data, at));
          case 'L' -> longName = cString(data, 0, data.length);
          default -> longLink = cString(data, 0, data.length);
        }
        continue;
      }
      Map<String, byte[]> keys = new HashMap<>(globalPax);
      keys.putAll(pax);
      byte[] path = longName != null ? longName : keys.containsKey("path") ? keys.get("path") : headerName(h);
      current = new String(path, StandardCharsets.UTF_8);
      byte[] link = longLink != null ? longLink : keys.containsKey("linkpath") ? keys.get("linkpath")
          : cString(h, 157, 100);
      if (keys.containsKey("size")) {
        size = paxNumber(keys.get("size"), Long.MAX_VALUE, "size");
      }
      int uid = (int) (keys.containsKey("uid") ? paxNumber(keys.get("uid"), 0xFFFF_FFFFL, "uid")
          : idNumber(h, 108, at, "uid"));
      int gid = (int) (keys.containsKey("gid") ? paxNumber(keys.get("gid"), 0xFFFF_FFFFL, "gid")
          : idNumber(h, 116, at, "gid"));
      int mode = (int) (number(h, 100, 8, "mode", at) & 07777);
      if (keys.keySet().stream().anyMatch(k -> k.startsWith("GNU.sparse."))) {
        throw error(current + ": sparse archive members are not supported");
      }
      type = switch (type) {
        case '0', 0, '7' -> TarEntry.REGULAR;
        case '1', '2', '3', '4', '5', '6' -> type;
        default -> throw error(current + ": unsupported tar entry type '" + (char) type + "'");
      };
      remaining = size;
      return new TarEntry(path, type, mode, uid, gid, size, link);
    }
  }

  /**
   * Streams the current member's data into {@code spool} and returns where it lives there; the
   * member is never held whole in memory.
   */
  Content copyData(Spool spool) throws IOException {
    long size = remaining;
    long start = spool.begin();
    byte[] buf = new byte[(int) Math.min(COPY_CHUNK, Math.max(size, 1))];
    long done = 0;
    while (done < size) {
      int n = read(buf, (int) Math.min(buf.length, size - done));
      spool.append(buf, n);
      done += n;
    }
    remaining = 0;
    skip(padding(size));
    return spool.content(start);
  }

  private byte[] readHeader() throws InputException {
    byte[] h = new byte[BLOCK];
    int got = 0;
    while (got < BLOCK) {
      int n;
      try {
        n = in.read(h, got, BLOCK - got);
      } catch (IOException e) {
        throw error(where() + "cannot read header at offset " + offset + ": " + reason(e));
      }
      if (n < 0) {
        if (got == 0) {
          return null;
        }
        throw error(where() + "truncated header at offset " + offset);
      }
      got += n;
    }
    offset += BLOCK;
    return h;
  }

  private byte[] readData(int size) throws InputException {
    byte[] data = new byte[size];
    int got = 0;
    while (got < size) {
      got += read(data, got, size - got);
    }
    skip(padding(size));
    return data;
  }

  private int read(byte[] buf, int len) throws InputException {
    return read(buf, 0, len);
  }

  /** Reads at least one byte; EOF inside a member is a truncated archive. */
  private int read(byte[] buf, int off, int len) throws InputException {
    int n;
    try {
      n = in.read(buf, off, len);
    } catch (IOException e) {
      throw error(where() + "cannot read at offset " + offset + ": " + reason(e));
    }
    if (n < 0) {
      throw error(where() + "truncated archive (ends at offset " + offset + " inside a member)");
    }
    offset += n;
    return n;
  }

  private void skip(long count) throws InputException {
    byte[] buf = count > 0 ? new byte[(int) Math.min(count, COPY_CHUNK)] : null;
    long left = count;
    while (left > 0) {
      left -= read(buf, (int) Math.min(buf.length, left));
    }
  }

  /** Decompressors often throw without a message (an EOFException for a cut-off stream). */
  private static String reason(IOException e) {
    if (e instanceof EOFException) {
      return "the compressed stream ends early";
    }
    return e.getMessage() != null ? e.getMessage() : e.getClass().getSimpleName();
  }

  private static long padding(long size) {
    return (BLOCK - size % BLOCK) % BLOCK;
  }

  private String where() {
    return current != null ? current + ": " : previous != null ? "after " + previous + ": " : "";
  }

  private InputException error(String message) {
    return new InputException(archive + ": " + message);
  }

  private static boolean isZero(byte[] h) {
    for (byte b : h) {
      if (b != 0) {
        return false;
      }
    }
    return true;
  }

  private void checkChecksum(byte[] h, long at) throws InputException {
    long stored = number(h, 148, 8, "checksum", at);
    long unsigned = 0;
    long signed = 0;
    for (int i = 0; i < BLOCK; i++) {
      int b = i >= 148 && i < 156 ? ' ' : h[i];
      unsigned += b & 0xff;
      signed += b;
    }
    if (stored != unsigned && stored != signed) {
      throw error(where() + "corrupt tar header at offset " + at + " (checksum " + stored + ", computed "
          + unsigned + ")");
    }
  }

  /** A numeric field: octal digits (space or NUL terminated), or GNU base-256 when the top bit is set. */
  private long number(byte[] h, int off, int len, String field, long at) throws InputException {
    if ((h[off] & 0x80) != 0) {
      if (h[off] != (byte) 0x80) {
        throw error(where() + "corrupt tar header at offset " + at + " (negative or oversized " + field + ")");
      }
      long v = 0;
      for (int i = off + 1; i < off + len; i++) {
        if ((v >>> 55) != 0) {
          throw error(where() + "corrupt tar header at offset " + at + " (" + field + " too large)");
        }
        v = (v << 8) | (h[i] & 0xff);
      }
      return v;
    }
    int i = off;
    int end = off + len;
    while (i < end && (h[i] == ' ' || h[i] == 0)) {
      i++;
    }
    long v = 0;
    for (; i < end && h[i] != ' ' && h[i] != 0; i++) {
      if (h[i] < '0' || h[i] > '7' || (v >>> 60) != 0) {
        throw error(where() + "corrupt tar header at offset " + at + " (bad " + field + " field)");
      }
      v = (v << 3) | (h[i] - '0');
    }
    return v;
  }

  private long idNumber(byte[] h, int off, long at, String field) throws InputException {
    long v = number(h, off, 8, field, at);
    if (v > 0xFFFF_FFFFL) {
      throw error(where() + "corrupt tar header at offset " + at + " (" + field + " out of range)");
    }
    return v;
  }

  private long paxNumber(byte[] value, long max, String key) throws InputException {
    String s = new String(value, StandardCharsets.US_ASCII);
    try {
      long v = Long.parseLong(s);
      if (v < 0 || v > max) {
        throw new NumberFormatException();
      }
      return v;
    } catch (NumberFormatException e) {
      throw error(where() + "bad PAX " + key + " '" + s + "'");
    }
  }

  /** PAX records: "LENGTH KEY=VALUE\n", LENGTH counting the whole record. */
  private Map<String, byte[]> parsePax(byte[] data, long at) throws InputException {
    Map<String, byte[]> out = new HashMap<>();
    int pos = 0;
    while (pos < data.length) {
      if (data[pos] == 0) {
        break; // trailing NUL padding written by some tools
      }
      int space = pos;
      int length = 0;
      while (space < data.length && data[space] >= '0' && data[space] <= '9' && space - pos < 8) {
        length = length * 10 + (data[space] - '0');
        space++;
      }
      int end = pos + length;
      if (space == pos || space >= data.length || data[space] != ' ' || length <= space - pos + 1
          || end > data.length || data[end - 1] != '\n') {
        throw error(where() + "corrupt PAX header at offset " + at);
      }
      int eq = space + 1;
      while (eq < end - 1 && data[eq] != '=') {
        eq++;
      }
      if (eq >= end - 1 || eq == space + 1) {
        throw error(where() + "corrupt PAX header at offset " + at);
      }
      out.put(new String(data, space + 1, eq - space - 1, StandardCharsets.UTF_8),
          Arrays.copyOfRange(data, eq + 1, end - 1));
      pos = end;
    }
    return out;
  }

  /** name, or prefix/name in POSIX ustar (GNU tar uses the prefix field for other things). */
  private static byte[] headerName(byte[] h) {
    byte[] name = cString(h, 0, 100);
    boolean posix = h[257] == 'u' && h[258] == 's' && h[259] == 't' && h[260] == 'a' && h[261] == 'r'
        && h[262] == 0;
    if (!posix || h[345] == 0) {
      return name;
    }
    byte[] prefix = cString(h, 345, 155);
    byte[] full = Arrays.copyOf(prefix, prefix.length + 1 + name.length);
    full[prefix.length] = '/';
    System.arraycopy(name, 0, full, prefix.length + 1, name.length);
    return full;
  }

  private static byte[] cString(byte[] b, int off, int len) {
    int end = off;
    while (end < off + len && b[end] != 0) {
      end++;
    }
    return Arrays.copyOfRange(b, off, end);
  }
}
