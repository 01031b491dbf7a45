package dev.daxfs.fuzz;

import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;

/**
 * A regular file's bytes in a view: a prefix from the base image, then logged writes in log order
 * (later ones win), zeros elsewhere up to {@code size}. Nothing is copied until it is read, so a
 * truncate to a huge size costs nothing until someone hashes it.
 */
final class FileData {
  /** Files larger than this are not hashed (a sparse 1 TiB truncate would take hours). */
  static final long MAX_HASHED = 256L << 20;
  private static final int CHUNK = 64 * 1024;

  private record Write(long pos, long len, long dataAt) {}

  private final long baseAt;
  private long baseLen;
  private long size;
  private final List<Write> writes = new ArrayList<>();
  private final Region baseRegion;
  private final Region logRegion;

  FileData(long baseAt, long baseLen, Region baseRegion, Region logRegion) {
    this.baseAt = baseAt;
    this.baseLen = baseLen;
    this.size = baseLen;
    this.baseRegion = baseRegion;
    this.logRegion = logRegion;
  }

  long size() { return size; }

  FileData copy() {
    FileData c = new FileData(baseAt, baseLen, baseRegion, logRegion);
    c.size = size;
    c.writes.addAll(writes);
    return c;
  }

  void write(long pos, long len, long dataAt) {
    writes.add(new Write(pos, len, dataAt));
    size = Math.max(size, pos + len);
  }

  void truncate(long newSize) {
    size = newSize;
    baseLen = Math.min(baseLen, newSize);
    writes.replaceAll(w -> w.pos >= newSize ? new Write(w.pos, 0, w.dataAt)
        : new Write(w.pos, Math.min(w.len, newSize - w.pos), w.dataAt));
  }

  /** SHA-256 of the content read through {@code mem}, or null when larger than {@link #MAX_HASHED}. */
  String sha256(KernelMemory mem, String what) {
    if (size > MAX_HASHED) {
      return null;
    }
    MessageDigest md = KernelMemory.sha256();
    if (writes.isEmpty() && baseLen == size) {
      mem.digest(md, baseAt, size, baseRegion, what);
      return HexFormat.of().formatHex(md.digest());
    }
    byte[] buf = new byte[CHUNK];
    for (long c = 0; c < size; c += CHUNK) {
      int n = (int) Math.min(CHUNK, size - c);
      java.util.Arrays.fill(buf, 0, n, (byte) 0);
      if (c < baseLen) {
        mem.copy(baseAt + c, buf, 0, (int) Math.min(n, baseLen - c), baseRegion, what);
      }
      for (Write w : writes) {
        long from = Math.max(c, w.pos);
        long to = Math.min(c + n, w.pos + w.len);
        if (from < to) {
          mem.copy(w.dataAt + (from - w.pos), buf, (int) (from - c), (int) (to - from), logRegion, what);
        }
      }
      md.update(buf, 0, n);
    }
    return HexFormat.of().formatHex(md.digest());
  }
}
