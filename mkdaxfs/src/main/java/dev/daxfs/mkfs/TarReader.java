package dev.daxfs.mkfs;

import dev.daxfs.format.Content;
import dev.daxfs.format.Names;
import java.io.BufferedInputStream;
import java.io.Closeable;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.channels.FileChannel;
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
 *
 * <p>An uncompressed archive in a regular file is read in place: member data is stepped over
 * (after checking that the file holds it) and left where it is, to be read once when the image is
 * written. Anything else is read as a stream and member data goes to the spool.
 */
final class TarReader implements Closeable {
  static final int BLOCK = 512;
  /** PAX records and GNU long names above this are refused unread (PATH_MAX is 4096). */
  static final int MAX_EXTENDED_HEADER = 1 << 20;
  private static final int COPY_CHUNK = 1 << 18;

  private final InputStream in;
  private final String archive;
  /** The archive file read in place ({@link #in} itself), or null for a stream. */
  private final ArchiveFileInput file;
  /** The file's size as last asked: asked again only when a member seems to run past it. */
  private long fileSize;
  /** What global PAX headers set so far, resolved once: members overlay their own records. */
  private PaxValues global = PaxValues.NONE;
  private boolean ended;
  private long offset;
  private String current;   // the member whose data is being read
  private String previous;  // the last member, for errors between members
  private long remaining;   // data bytes of the current entry not yet consumed

  private TarReader(InputStream in, String archive, ArchiveFileInput file, long fileSize) {
    this.in = in;
    this.archive = archive;
    this.file = file;
    this.fileSize = fileSize;
  }

  /**
   * A reader over {@code raw}, decompressing gzip, bzip2, xz or zstd when the first bytes say so
   * (the name of the archive plays no part).
   */
  static TarReader open(InputStream raw, String archive) throws InputException {
    InputStream buffered = new BufferedInputStream(raw, 1 << 16);
    TarReader compressed = decompressing(buffered, archive);
    return compressed != null ? compressed : new TarReader(buffered, archive, null, 0);
  }

  /**
   * A reader over the archive file {@code file} (a regular file, open until the image is
   * written): in place when it is not compressed, else as {@link #open(InputStream, String)}.
   */
  static TarReader open(FileChannel file, String archive) throws InputException {
    TarReader compressed = decompressing(new BufferedInputStream(new ArchiveFileInput(file), 1 << 16), archive);
    if (compressed != null) {
      return compressed;
    }
    try {
      ArchiveFileInput in = new ArchiveFileInput(file);
      return new TarReader(in, archive, in, file.size());
    } catch (IOException e) {
      throw new InputException(archive + ": cannot read: " + reason(e), e);
    }
  }

  /** A reader decompressing {@code buffered}, or null when its first bytes name no compression. */
  private static TarReader decompressing(InputStream buffered, String archive) throws InputException {
    try {
      String format = CompressorStreamFactory.detect(buffered);
      // Until EOF: gzip and the others may hold several concatenated streams (as gunzip reads them).
      return new TarReader(new BufferedInputStream(
          new CompressorStreamFactory(true).createCompressorInputStream(format, buffered), 1 << 16), archive, null, 0);
    } catch (CompressorException e) {
      if (e.getCause() instanceof IOException io) {
        throw new InputException(archive + ": cannot read: " + io.getMessage(), io);
      }
      // No compression signature: a plain tar (checked header by header from here on).
      return null;
    }
  }

  /**
   * Closes a stream read to its end (a FIFO's writer is not kept waiting); an archive file read
   * in place stays open for the image writer.
   */
  @Override public void close() throws IOException {
    in.close();
  }

  /** The next member, or null at the end of the archive. The previous member's data is skipped. */
  TarEntry next() throws InputException {
    if (ended) {
      return null;
    }
    skip(remaining + padding(remaining));
    remaining = 0;
    if (current != null) {
      previous = current;
      current = null;
    }
    long memberStart = offset;
    long memberExtended = 0;   // bytes of x, L and K headers read for this member
    byte[] longName = null;
    byte[] longLink = null;
    Map<String, byte[]> pax = new HashMap<>();   // this member's records: they override global ones
    boolean extended = false;
    while (true) {
      long at = offset;
      byte[] h = readHeader();
      if (h == null || isZero(h)) {
        if (extended) {
          throw error(where() + "archive ends right after an extended header");
        }
        if (h == null) {
          throw error(at == 0 ? "does not look like a tar archive (it is empty)"
              : where() + "archive ends at offset " + at + " without its end-of-archive blocks (cut off?)");
        }
        checkEnd(at);
        ended = true;
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
        if (type != 'g' && memberExtended + size > MAX_EXTENDED_HEADER) {
          throw error(where() + "extended headers of the member starting at offset " + memberStart + " add up to "
              + (memberExtended + size) + " bytes with the one at offset " + at + " (limit " + MAX_EXTENDED_HEADER
              + " per member), refused unread");
        }
        byte[] data = readData((int) size);
        extended = true;
        switch (type) {
          case 'x' -> {
            memberExtended += size;
            pax.putAll(parsePax(data, at));
          }
          case 'g' -> global = overlay(global, parsePax(data, at), at, true);
          case 'L' -> {
            memberExtended += size;
            longName = cString(data, 0, data.length);
          }
          default -> {
            memberExtended += size;
            longLink = cString(data, 0, data.length);
          }
        }
        continue;
      }
      PaxValues values = pax.isEmpty() ? global : overlay(global, pax, at, false);
      byte[] path = longName != null ? longName : values.path() != null ? values.path() : headerName(h);
      current = Names.text(path);
      byte[] link = longLink != null ? longLink : values.linkpath() != null ? values.linkpath()
          : cString(h, 157, 100);
      if (values.size() >= 0) {
        size = values.size();
      }
      int uid = (int) (values.uid() >= 0 ? values.uid() : idNumber(h, 108, at, "uid"));
      int gid = (int) (values.gid() >= 0 ? values.gid() : idNumber(h, 116, at, "gid"));
      int mode = (int) (number(h, 100, 8, "mode", at) & 07777);
      if (values.sparse()) {
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
   * After the zero block at {@code at}: the archive ends with a second zero block, or (as GNU tar,
   * bsdtar and Python's tarfile accept) with only zeros or nothing after the first. A header
   * after a lone zero block would be dropped silently by tar; here it is an error.
   */
  private void checkEnd(long at) throws InputException {
    byte[] b = new byte[BLOCK];
    int got = 0;
    while (got < BLOCK) {
      int n;
      try {
        n = in.read(b, got, BLOCK - got);
      } catch (IOException e) {
        throw error(where() + "cannot read the end of the archive at offset " + (at + BLOCK) + ": " + reason(e));
      }
      if (n < 0) {
        break;
      }
      got += n;
    }
    offset += got;
    if (!isZero(b)) {
      throw error(where() + "a lone zero block at offset " + at + " is followed by data at offset " + (at + BLOCK)
          + ": members after it would be lost (a damaged archive, or archives joined by cat)");
    }
  }

  /**
   * Streams the current member's data into {@code spool} and returns where it lives there; the
   * member is never held whole in memory.
   */
  Content copyData(Spool spool) throws IOException {
    long size = remaining;
    if (file != null) {
      long at = offset;
      skip(size + padding(size));
      remaining = 0;
      return new ArchiveMember(file.file(), archive, current, at);
    }
    long start = spool.begin();
    byte[] buf = new byte[(int) Math.min(COPY_CHUNK, Math.max(size, 1))];
    long done = 0;
    while (done < size) {
      // Whole buffers keep the spool's 4 KiB blocks aligned with the member's, so zeros become holes.
      int want = (int) Math.min(buf.length, size - done);
      int n = 0;
      while (n < want) {
        n += read(buf, n, want - n);
      }
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
        throw error(offset == 0 ? "does not look like a tar archive (" + got + " bytes, less than one header)"
            : where() + "truncated header at offset " + offset);
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
    if (file != null) {
      holds(count);
      file.stepOver(count);
      offset += count;
      return;
    }
    byte[] buf = count > 0 ? new byte[(int) Math.min(count, COPY_CHUNK)] : null;
    long left = count;
    while (left > 0) {
      left -= read(buf, (int) Math.min(buf.length, left));
    }
  }

  /**
   * In place, data stepped over is not read: the file must hold it now, or the member is as
   * truncated as one whose read met the end of the file (the same error, at the file's end).
   */
  private void holds(long count) throws InputException {
    // Negative: a size near 2^63 overflowed with its padding; stepping back would loop.
    if (count >= 0 && count <= fileSize - offset) {
      return;
    }
    try {
      fileSize = file.file().size();
    } catch (IOException e) {
      throw error(where() + "cannot read at offset " + offset + ": " + reason(e));
    }
    if (count < 0 || count > fileSize - offset) {
      throw error(where() + "truncated archive (ends at offset " + Math.max(fileSize, offset) + " inside a member)");
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
    long stored;
    try {
      stored = number(h, 148, 8, "checksum", at);
    } catch (InputException e) {
      if (at == 0) {
        throw error("does not look like a tar archive (no tar header at offset 0)");
      }
      throw e;
    }
    long unsigned = 0;
    long signed = 0;
    for (int i = 0; i < BLOCK; i++) {
      int b = i >= 148 && i < 156 ? ' ' : h[i];
      unsigned += b & 0xff;
      signed += b;
    }
    if (stored != unsigned && stored != signed) {
      if (at == 0) {
        throw error("does not look like a tar archive (no tar header at offset 0)");
      }
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

  /**
   * {@code base} with {@code records} over it; an empty value unsets the key (POSIX). Global
   * headers are resolved once here rather than merged into every member, so each member costs
   * only its own records. A global path or linkpath would give every member the same name.
   */
  private PaxValues overlay(PaxValues base, Map<String, byte[]> records, long at, boolean global)
      throws InputException {
    byte[] path = base.path();
    byte[] link = base.linkpath();
    long size = base.size();
    long uid = base.uid();
    long gid = base.gid();
    boolean sparse = base.sparse();
    for (Map.Entry<String, byte[]> r : records.entrySet()) {
      byte[] v = r.getValue();
      boolean unset = v.length == 0;
      switch (r.getKey()) {
        case "path", "linkpath" -> {
          if (global && !unset) {
            throw error(where() + "global PAX header at offset " + at + " sets " + r.getKey()
                + " for every member that follows (not supported)");
          }
          if (r.getKey().equals("path")) {
            path = unset ? null : v;
          } else {
            link = unset ? null : v;
          }
        }
        case "size" -> size = unset ? -1 : paxNumber(v, Long.MAX_VALUE, "size");
        case "uid" -> uid = unset ? -1 : paxNumber(v, 0xFFFF_FFFFL, "uid");
        case "gid" -> gid = unset ? -1 : paxNumber(v, 0xFFFF_FFFFL, "gid");
        default -> sparse |= r.getKey().startsWith("GNU.sparse.");
      }
    }
    return new PaxValues(path, link, size, uid, gid, sparse);
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
