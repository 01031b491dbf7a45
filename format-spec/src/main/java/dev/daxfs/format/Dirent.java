package dev.daxfs.format;

import static dev.daxfs.format.Structs.DIRENT;

import java.lang.foreign.MemorySegment;
import java.util.Arrays;

/**
 * One 144-byte directory entry. {@code name} holds the used bytes only: min(name_len, 128) of
 * them, so a hostile name_len never reads past the field. {@code at} is its absolute offset.
 */
public record Dirent(long at, int ino, int mode, int nameLen, byte[] name) {

  // Field offsets, resolved once: a layout path lookup per access would dominate reading.
  private static final long DIRENT_NAME = Structs.offset(DIRENT, "name");
  private static final long DIRENT_NAME_LEN = Structs.offset(DIRENT, "name_len");
  private static final long DIRENT_INO = Structs.offset(DIRENT, "ino");
  private static final long DIRENT_MODE = Structs.offset(DIRENT, "mode");


  static final String NAME = "dirent";

  /** The dirent at {@code at}, bounds-checked. */
  public static Dirent read(ImageBytes b, long at) {
    b.require(at, DIRENT.byteSize(), NAME);
    int nameLen = b.u16(at + DIRENT_NAME_LEN, NAME);
    byte[] name = b.bytes(at + DIRENT_NAME, Math.min(nameLen, Format.NAME_MAX), NAME);
    return new Dirent(at, b.u32(at + DIRENT_INO, NAME), b.u32(at + DIRENT_MODE, NAME),
        nameLen, name);
  }

  /** The name as text ({@link Names#text}). */
  public String nameString() { return Names.text(name); }

  /** Writes a dirent at {@code at} in {@code s}; name must be 1..128 bytes. */
  static void encodeInto(MemorySegment s, long at, int ino, int mode, byte[] name) {
    Encoding.putU32(s, at + DIRENT_INO, ino);
    Encoding.putU32(s, at + DIRENT_MODE, mode);
    Encoding.putU16(s, at + DIRENT_NAME_LEN, name.length);
    Encoding.putBytes(s, at + DIRENT_NAME, name);
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
