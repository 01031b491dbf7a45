package dev.daxfs.fuzz;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * The model's own view of the mapped image: every read and write the kernel would do goes through
 * here, is checked against the mapping (and, when given, the structure it belongs to) with
 * unsigned, overflow-safe arithmetic, and a violation is recorded as a {@link Hazard}. A read or
 * write outside the mapping ends the operation with {@link Oops}, as it would end the kernel's.
 * Written independently of the codec so that it can judge it.
 */
final class KernelMemory {
  /** Hazards beyond this many are counted, not kept: a hostile image must not drive memory use. */
  private static final int MAX_KEPT = 200;

  /** The kernel operation died (oops or NULL dereference); the hazard is already recorded. */
  static final class Oops extends RuntimeException {
    Oops(String message) {
      super(message, null, false, false);
    }
  }

  private final byte[] mem;
  private final List<Hazard> hazards = new ArrayList<>();
  private long dropped;
  private String context = "";

  /** A private copy: the mount writes into it, the caller's bytes stay as they were. */
  KernelMemory(byte[] image) {
    this.mem = image.clone();
  }

  long size() { return mem.length; }

  /** Names the view being read, so a hazard says where it was seen. */
  void context(String view) {
    context = view.isEmpty() ? "" : view + ": ";
  }

  void hazard(Hazard.Kind kind, long offset, String detail) {
    if (hazards.size() < MAX_KEPT) {
      hazards.add(new Hazard(kind, offset, context + detail));
    } else {
      dropped++;
    }
  }

  List<Hazard> hazards() { return Collections.unmodifiableList(hazards); }

  long droppedHazards() { return dropped; }

  /** True when [offset, offset+len) lies inside the mapping (all values unsigned). */
  boolean mapped(long offset, long len) {
    return Long.compareUnsigned(offset, mem.length) <= 0 && Long.compareUnsigned(len, mem.length - offset) <= 0;
  }

  /** Checks a read of [offset, offset+len) for {@code what}; {@code region} may be null. An empty read touches nothing. */
  void checkRead(long offset, long len, Region region, String what) {
    if (len == 0) {
      return;   // nothing is touched, wherever the pointer points
    }
    if (!mapped(offset, len)) {
      String d = what + ": reads " + Long.toUnsignedString(len) + " bytes at " + Long.toUnsignedString(offset)
          + " outside the " + mem.length + "-byte mapping";
      hazard(Hazard.Kind.OUT_OF_BOUNDS, offset, d);
      throw new Oops(d);
    }
    if (region != null && !region.contains(offset, len)) {
      hazard(Hazard.Kind.OUTSIDE_REGION, offset, what + ": reads " + len + " bytes at " + offset
          + " outside " + region);
    }
  }

  int u8(long offset, Region region, String what) {
    checkRead(offset, 1, region, what);
    return mem[(int) offset] & 0xff;
  }

  int u16(long offset, Region region, String what) {
    checkRead(offset, 2, region, what);
    int o = (int) offset;
    return (mem[o] & 0xff) | (mem[o + 1] & 0xff) << 8;
  }

  long u32(long offset, Region region, String what) {
    checkRead(offset, 4, region, what);
    int o = (int) offset;
    return (mem[o] & 0xffL) | (mem[o + 1] & 0xffL) << 8 | (mem[o + 2] & 0xffL) << 16 | (mem[o + 3] & 0xffL) << 24;
  }

  long u64(long offset, Region region, String what) {
    checkRead(offset, 8, region, what);
    long lo = u32(offset, null, what);
    long hi = u32(offset + 4, null, what);
    return lo | hi << 32;
  }

  /** A copy of a range already known to be small (names, targets); checked like any read. */
  byte[] bytes(long offset, int len, Region region, String what) {
    checkRead(offset, len, region, what);
    byte[] out = new byte[len];
    if (len > 0) {
      System.arraycopy(mem, (int) offset, out, 0, len);
    }
    return out;
  }

  /**
   * strlen as the VFS does on a symlink's i_link: scans from {@code offset} to the first NUL,
   * at most {@code limit} bytes; running off the mapping is an oops.
   */
  int strnlen(long offset, int limit, Region region, String what) {
    for (int i = 0; i < limit; i++) {
      if (!mapped(offset + i, 1)) {
        checkRead(offset + i, 1, region, what);
      }
      if (mem[(int) (offset + i)] == 0) {
        checkRead(offset, i + 1L, region, what);
        return i;
      }
    }
    checkRead(offset, limit, region, what);
    return limit;
  }

  /** Feeds [offset, offset+len) to a digest after checking the read. */
  void digest(MessageDigest md, long offset, long len, Region region, String what) {
    checkRead(offset, len, region, what);
    if (len > 0) {
      md.update(mem, (int) offset, (int) len);
    }
  }

  /** Copies [offset, offset+len) into {@code dst} after checking the read. */
  void copy(long offset, byte[] dst, int dstPos, int len, Region region, String what) {
    checkRead(offset, len, region, what);
    if (len > 0) {
      System.arraycopy(mem, (int) offset, dst, dstPos, len);
    }
  }

  /** A write of {@code data} at {@code offset}, which must be mapped (the caller checks regions). */
  void write(long offset, byte[] data, String what) {
    if (!mapped(offset, data.length)) {
      String d = what + ": writes " + data.length + " bytes at " + Long.toUnsignedString(offset)
          + " outside the " + mem.length + "-byte mapping";
      hazard(Hazard.Kind.OUT_OF_BOUNDS, offset, d);
      throw new Oops(d);
    }
    System.arraycopy(data, 0, mem, (int) offset, data.length);
  }

  void putU32(long offset, long value, String what) {
    byte[] b = new byte[4];
    for (int i = 0; i < 4; i++) {
      b[i] = (byte) (value >>> (8 * i));
    }
    write(offset, b, what);
  }

  void putU64(long offset, long value, String what) {
    byte[] b = new byte[8];
    for (int i = 0; i < 8; i++) {
      b[i] = (byte) (value >>> (8 * i));
    }
    write(offset, b, what);
  }

  /** The image bytes as the mount left them (for tests of what the mount writes). */
  byte[] snapshot() { return mem.clone(); }

  static MessageDigest sha256() {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
