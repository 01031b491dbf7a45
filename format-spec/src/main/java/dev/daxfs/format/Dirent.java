package dev.daxfs.format;

import static dev.daxfs.format.Structs.DIRENT;
import static dev.daxfs.format.Structs.offset;

import java.lang.foreign.MemorySegment;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * One 144-byte directory entry. {@code name} holds the used bytes only: min(name_len, 128) of
 * them, so a hostile name_len never reads past the field. {@code at} is its absolute offset.
 */
public record Dirent(long at, int ino, int mode, int nameLen, byte[] name) {

  static final String NAME = "dirent";
  static final long NAME_FIELD = offset(DIRENT, "name");

  static Dirent read(ImageBytes b, long at) {
    b.require(at, DIRENT.byteSize(), NAME);
    int nameLen = b.u16(at + offset(DIRENT, "name_len"), NAME);
    byte[] name = b.bytes(at + NAME_FIELD, Math.min(nameLen, Format.NAME_MAX), NAME);
    return new Dirent(at, b.u32(at + offset(DIRENT, "ino"), NAME), b.u32(at + offset(DIRENT, "mode"), NAME),
        nameLen, name);
  }

  /** The name for display: UTF-8 where valid, with replacement characters otherwise. */
  public String nameString() { return new String(name, StandardCharsets.UTF_8); }

  /** Writes a dirent at {@code at} in {@code s}; name must be 1..128 bytes. */
  static void encodeInto(MemorySegment s, long at, int ino, int mode, byte[] name) {
    Encoding.putU32(s, at + offset(DIRENT, "ino"), ino);
    Encoding.putU32(s, at + offset(DIRENT, "mode"), mode);
    Encoding.putU16(s, at + offset(DIRENT, "name_len"), name.length);
    Encoding.putBytes(s, at + NAME_FIELD, name);
  }

  @Override public boolean equals(Object o) {
    return o instanceof Dirent d && d.at == at && d.ino == ino && d.mode == mode && d.nameLen == nameLen
        && Arrays.equals(d.name, name);
  }

  @Override public int hashCode() { return Long.hashCode(at) * 31 + Arrays.hashCode(name); }

  @Override public String toString() {
    return "Dirent[at=" + at + ", ino=" + Integer.toUnsignedString(ino) + ", mode=0" + Integer.toOctalString(mode)
        + ", name=" + nameString() + "]";
  }
}
