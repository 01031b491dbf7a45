package dev.daxfs.format;

import static dev.daxfs.format.Structs.CREATE;
import static dev.daxfs.format.Structs.DELETE;
import static dev.daxfs.format.Structs.DELTA_HEADER;
import static dev.daxfs.format.Structs.RENAME;
import static dev.daxfs.format.Structs.SETATTR;
import static dev.daxfs.format.Structs.SYMLINK;
import static dev.daxfs.format.Structs.TRUNCATE;
import static dev.daxfs.format.Structs.WRITE;
import static dev.daxfs.format.Structs.offset;

import java.io.ByteArrayOutputStream;
import java.lang.foreign.MemorySegment;

/** Encodes delta entries back to back, exactly as the v3 kernel appends them to a branch's log. */
public final class DeltaLogBuilder {
  private final ByteArrayOutputStream out = new ByteArrayOutputStream();
  private long timestamp;

  /** Timestamps are the caller's; each call uses and then increments this counter by default. */
  public DeltaLogBuilder timestamp(long ns) {
    this.timestamp = ns;
    return this;
  }

  public int size() { return out.size(); }

  public byte[] toByteArray() { return out.toByteArray(); }

  private MemorySegment entry(int type, long ino, long payloadAndTail) {
    long total = DELTA_HEADER.byteSize() + payloadAndTail;
    MemorySegment s = MemorySegment.ofArray(new byte[Math.toIntExact(total)]);
    Encoding.putU32(s, offset(DELTA_HEADER, "type"), type);
    Encoding.putU32(s, offset(DELTA_HEADER, "total_size"), (int) total);
    Encoding.putU64(s, offset(DELTA_HEADER, "ino"), ino);
    Encoding.putU64(s, offset(DELTA_HEADER, "timestamp"), timestamp++);
    return s;
  }

  private DeltaLogBuilder append(MemorySegment s) {
    out.writeBytes(s.toArray(java.lang.foreign.ValueLayout.JAVA_BYTE));
    return this;
  }

  private static final long H = DELTA_HEADER.byteSize();

  public DeltaLogBuilder write(long ino, long fileOffset, byte[] data) {
    MemorySegment s = entry(Format.DELTA_WRITE, ino, WRITE.byteSize() + data.length);
    Encoding.putU64(s, H + offset(WRITE, "offset"), fileOffset);
    Encoding.putU32(s, H + offset(WRITE, "len"), data.length);
    Encoding.putBytes(s, H + WRITE.byteSize(), data);
    return append(s);
  }

  public DeltaLogBuilder create(long parentIno, long newIno, int mode, byte[] name) {
    return createLike(Format.DELTA_CREATE, parentIno, newIno, mode, name);
  }

  public DeltaLogBuilder mkdir(long parentIno, long newIno, int mode, byte[] name) {
    return createLike(Format.DELTA_MKDIR, parentIno, newIno, mode, name);
  }

  private DeltaLogBuilder createLike(int type, long parentIno, long newIno, int mode, byte[] name) {
    MemorySegment s = entry(type, newIno, CREATE.byteSize() + name.length);
    Encoding.putU64(s, H + offset(CREATE, "parent_ino"), parentIno);
    Encoding.putU64(s, H + offset(CREATE, "new_ino"), newIno);
    Encoding.putU32(s, H + offset(CREATE, "mode"), mode);
    Encoding.putU16(s, H + offset(CREATE, "name_len"), name.length);
    Encoding.putBytes(s, H + CREATE.byteSize(), name);
    return append(s);
  }

  public DeltaLogBuilder delete(long parentIno, long deletedIno, byte[] name) {
    MemorySegment s = entry(Format.DELTA_DELETE, deletedIno, DELETE.byteSize() + name.length);
    Encoding.putU64(s, H + offset(DELETE, "parent_ino"), parentIno);
    Encoding.putU16(s, H + offset(DELETE, "name_len"), name.length);
    Encoding.putBytes(s, H + DELETE.byteSize(), name);
    return append(s);
  }

  public DeltaLogBuilder truncate(long ino, long newSize) {
    MemorySegment s = entry(Format.DELTA_TRUNCATE, ino, TRUNCATE.byteSize());
    Encoding.putU64(s, H + offset(TRUNCATE, "new_size"), newSize);
    return append(s);
  }

  public DeltaLogBuilder rename(long oldParent, long newParent, long ino, byte[] oldName, byte[] newName) {
    MemorySegment s = entry(Format.DELTA_RENAME, ino, RENAME.byteSize() + oldName.length + newName.length);
    Encoding.putU64(s, H + offset(RENAME, "old_parent"), oldParent);
    Encoding.putU64(s, H + offset(RENAME, "new_parent"), newParent);
    Encoding.putU64(s, H + offset(RENAME, "ino"), ino);
    Encoding.putU16(s, H + offset(RENAME, "old_name_len"), oldName.length);
    Encoding.putU16(s, H + offset(RENAME, "new_name_len"), newName.length);
    Encoding.putBytes(s, H + RENAME.byteSize(), oldName);
    Encoding.putBytes(s, H + RENAME.byteSize() + oldName.length, newName);
    return append(s);
  }

  public DeltaLogBuilder setattr(long ino, int mode, int uid, int gid, int valid, long size) {
    MemorySegment s = entry(Format.DELTA_SETATTR, ino, SETATTR.byteSize());
    Encoding.putU32(s, H + offset(SETATTR, "mode"), mode);
    Encoding.putU32(s, H + offset(SETATTR, "uid"), uid);
    Encoding.putU32(s, H + offset(SETATTR, "gid"), gid);
    Encoding.putU32(s, H + offset(SETATTR, "valid"), valid);
    Encoding.putU64(s, H + offset(SETATTR, "size"), size);
    return append(s);
  }

  public DeltaLogBuilder symlink(long parentIno, long newIno, byte[] name, byte[] target) {
    MemorySegment s = entry(Format.DELTA_SYMLINK, newIno, SYMLINK.byteSize() + name.length + target.length + 1);
    Encoding.putU64(s, H + offset(SYMLINK, "parent_ino"), parentIno);
    Encoding.putU64(s, H + offset(SYMLINK, "new_ino"), newIno);
    Encoding.putU16(s, H + offset(SYMLINK, "name_len"), name.length);
    Encoding.putU16(s, H + offset(SYMLINK, "target_len"), target.length);
    Encoding.putBytes(s, H + SYMLINK.byteSize(), name);
    Encoding.putBytes(s, H + SYMLINK.byteSize() + name.length, target);
    return append(s);
  }

  /** Appends raw bytes (for example a committed child's whole log). */
  public DeltaLogBuilder raw(byte[] bytes) {
    out.writeBytes(bytes);
    return this;
  }
}
