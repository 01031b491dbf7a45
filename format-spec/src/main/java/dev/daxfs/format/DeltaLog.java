package dev.daxfs.format;

import static dev.daxfs.format.Structs.CREATE;
import static dev.daxfs.format.Structs.DELETE;
import static dev.daxfs.format.Structs.DELTA_HEADER;
import static dev.daxfs.format.Structs.RENAME;
import static dev.daxfs.format.Structs.SETATTR;
import static dev.daxfs.format.Structs.SYMLINK;
import static dev.daxfs.format.Structs.TRUNCATE;
import static dev.daxfs.format.Structs.WRITE;

import java.util.Iterator;
import java.util.NoSuchElementException;

/**
 * A branch's delta log, decoded entry by entry exactly as the v3 kernel replays one: entries start
 * below the log's size (delta_log_size); a header whose total_size is 0 ends the log; any other
 * entry must be at least a header and end within the log's capacity (the kernel checks the
 * capacity, not the size, so a last entry may reach past the size). Each step advances by at least
 * a header, so a walk takes at most size/24 + 1 steps; an entry that breaks a rule (too small,
 * past the capacity or the image, unknown type, names overrunning its payload) raises a
 * FormatException at that entry's absolute offset, and the walk stops there.
 */
public final class DeltaLog implements Iterable<DeltaEntry> {

  // Field offsets, resolved once: a layout path lookup per access would dominate reading.
  private static final long DELTA_HEADER_TYPE = Structs.offset(DELTA_HEADER, "type");
  private static final long DELTA_HEADER_TOTAL_SIZE = Structs.offset(DELTA_HEADER, "total_size");
  private static final long DELTA_HEADER_INO = Structs.offset(DELTA_HEADER, "ino");
  private static final long DELTA_HEADER_TIMESTAMP = Structs.offset(DELTA_HEADER, "timestamp");
  private static final long WRITE_LEN = Structs.offset(WRITE, "len");
  private static final long WRITE_OFFSET = Structs.offset(WRITE, "offset");
  private static final long WRITE_FLAGS = Structs.offset(WRITE, "flags");
  private static final long CREATE_NAME_LEN = Structs.offset(CREATE, "name_len");
  private static final long CREATE_PARENT_INO = Structs.offset(CREATE, "parent_ino");
  private static final long CREATE_NEW_INO = Structs.offset(CREATE, "new_ino");
  private static final long CREATE_MODE = Structs.offset(CREATE, "mode");
  private static final long CREATE_FLAGS = Structs.offset(CREATE, "flags");
  private static final long DELETE_NAME_LEN = Structs.offset(DELETE, "name_len");
  private static final long DELETE_PARENT_INO = Structs.offset(DELETE, "parent_ino");
  private static final long DELETE_FLAGS = Structs.offset(DELETE, "flags");
  private static final long TRUNCATE_NEW_SIZE = Structs.offset(TRUNCATE, "new_size");
  private static final long RENAME_OLD_NAME_LEN = Structs.offset(RENAME, "old_name_len");
  private static final long RENAME_NEW_NAME_LEN = Structs.offset(RENAME, "new_name_len");
  private static final long RENAME_OLD_PARENT = Structs.offset(RENAME, "old_parent");
  private static final long RENAME_NEW_PARENT = Structs.offset(RENAME, "new_parent");
  private static final long RENAME_INO = Structs.offset(RENAME, "ino");
  private static final long SETATTR_MODE = Structs.offset(SETATTR, "mode");
  private static final long SETATTR_UID = Structs.offset(SETATTR, "uid");
  private static final long SETATTR_GID = Structs.offset(SETATTR, "gid");
  private static final long SETATTR_VALID = Structs.offset(SETATTR, "valid");
  private static final long SETATTR_SIZE = Structs.offset(SETATTR, "size");
  private static final long SYMLINK_NAME_LEN = Structs.offset(SYMLINK, "name_len");
  private static final long SYMLINK_TARGET_LEN = Structs.offset(SYMLINK, "target_len");
  private static final long SYMLINK_PARENT_INO = Structs.offset(SYMLINK, "parent_ino");
  private static final long SYMLINK_NEW_INO = Structs.offset(SYMLINK, "new_ino");

  private static final String NAME = "delta entry";
  private static final long HDR = DELTA_HEADER.byteSize();

  private final ImageBytes bytes;
  private final long start;
  private final long size;
  private final long capacity;

  /** A log whose capacity is its size (nothing may reach past the used bytes). */
  public DeltaLog(ImageBytes bytes, long start, long size) {
    this(bytes, start, size, size);
  }

  /**
   * The log of {@code size} used bytes at absolute {@code start}, in a reservation of
   * {@code capacity} bytes (unsigned; entries are also bounded by the image itself).
   */
  public DeltaLog(ImageBytes bytes, long start, long size, long capacity) {
    bytes.require(start, size, "delta log");
    this.bytes = bytes;
    this.start = start;
    this.size = size;
    this.capacity = capacity;
  }

  public long start() { return start; }

  public long size() { return size; }

  public long capacity() { return capacity; }

  @Override public Iterator<DeltaEntry> iterator() {
    return new Iterator<>() {
      private long pos = 0;
      private DeltaEntry next;
      private boolean done;

      @Override public boolean hasNext() {
        if (next == null && !done) {
          next = decodeAt(pos);
          if (next == null) {
            done = true;
          } else {
            pos += Integer.toUnsignedLong(next.totalSize());
          }
        }
        return next != null;
      }

      @Override public DeltaEntry next() {
        if (!hasNext()) {
          throw new NoSuchElementException();
        }
        DeltaEntry e = next;
        next = null;
        return e;
      }
    };
  }

  /**
   * Decodes the entry at log position {@code pos}, or returns null at the end of the log; an
   * entry that cannot be decoded raises an {@link UndecodableEntry} saying why.
   */
  private DeltaEntry decodeAt(long pos) {
    if (pos >= size) {
      return null;
    }
    long at = start + pos;
    // Like the kernel, an entry may reach past the log's size but not past its capacity.
    long left = capacity - pos;
    int type;
    long total;
    try {
      // Like the kernel, read the header even when fewer than 24 used bytes remain.
      type = bytes.u32(at + DELTA_HEADER_TYPE, NAME);
      total = Integer.toUnsignedLong(bytes.u32(at + DELTA_HEADER_TOTAL_SIZE, NAME));
    } catch (FormatException x) {
      throw new UndecodableEntry(x.structure(), x.offset(), UndecodableEntry.Flaw.FRAMING, framing(left), x.detail());
    }
    if (total == 0) {
      return null;
    }
    if (total < HDR) {
      throw new UndecodableEntry(NAME, at, UndecodableEntry.Flaw.FRAMING, framing(left),
          "total_size " + total + " is smaller than the " + HDR + "-byte header");
    }
    if (Long.compareUnsigned(pos + total, capacity) > 0) {
      throw new UndecodableEntry(NAME, at, UndecodableEntry.Flaw.FRAMING, framing(left), "total_size " + total
          + " runs past the log's capacity of " + Long.toUnsignedString(capacity) + " bytes (entry at log position "
          + pos + ")");
    }
    try {
      return decodeBody(at, type, total);
    } catch (UndecodableEntry x) {
      throw x;
    } catch (FormatException x) {
      boolean known = type >= Format.DELTA_WRITE && type <= Format.DELTA_LAST_TYPE;
      throw known
          ? new UndecodableEntry(x.structure(), x.offset(), UndecodableEntry.Flaw.PAYLOAD,
              "payload, names and data inside the entry", x.detail())
          : new UndecodableEntry(x.structure(), x.offset(), UndecodableEntry.Flaw.TYPE,
              "type " + Format.DELTA_WRITE + ".." + Format.DELTA_LAST_TYPE, x.detail());
    }
  }

  /** What a framed entry has, with {@code left} bytes of capacity from its start. */
  private static String framing(long left) {
    return left < HDR ? "a " + HDR + "-byte header or a zero total_size" : "total_size of " + HDR + ".." + left + " bytes";
  }

  /** The entry whose header (type, total_size) is read and framed; payload failures are FormatExceptions. */
  private DeltaEntry decodeBody(long at, int type, long total) {
    bytes.require(at, total, NAME);
    long ino = bytes.u64(at + DELTA_HEADER_INO, NAME);
    long ts = bytes.u64(at + DELTA_HEADER_TIMESTAMP, NAME);
    long p = at + HDR;
    long payload = total - HDR;
    int t = (int) total;
    return switch (type) {
      case Format.DELTA_WRITE -> {
        need(at, payload, WRITE.byteSize(), "write payload");
        long len = Integer.toUnsignedLong(bytes.u32(p + WRITE_LEN, NAME));
        need(at, payload, WRITE.byteSize() + len, "write data");
        yield new DeltaEntry.Write(at, t, ino, ts, bytes.u64(p + WRITE_OFFSET, NAME), len,
            bytes.u32(p + WRITE_FLAGS, NAME), p + WRITE.byteSize());
      }
      case Format.DELTA_CREATE, Format.DELTA_MKDIR -> {
        need(at, payload, CREATE.byteSize(), "create payload");
        int nameLen = bytes.u16(p + CREATE_NAME_LEN, NAME);
        need(at, payload, CREATE.byteSize() + nameLen, "name");
        long parent = bytes.u64(p + CREATE_PARENT_INO, NAME);
        long newIno = bytes.u64(p + CREATE_NEW_INO, NAME);
        int mode = bytes.u32(p + CREATE_MODE, NAME);
        int flags = bytes.u16(p + CREATE_FLAGS, NAME);
        byte[] name = bytes.bytes(p + CREATE.byteSize(), nameLen, NAME);
        yield type == Format.DELTA_CREATE
            ? new DeltaEntry.Create(at, t, ino, ts, parent, newIno, mode, flags, name)
            : new DeltaEntry.Mkdir(at, t, ino, ts, parent, newIno, mode, flags, name);
      }
      case Format.DELTA_DELETE -> {
        need(at, payload, DELETE.byteSize(), "delete payload");
        int nameLen = bytes.u16(p + DELETE_NAME_LEN, NAME);
        need(at, payload, DELETE.byteSize() + nameLen, "name");
        yield new DeltaEntry.Delete(at, t, ino, ts, bytes.u64(p + DELETE_PARENT_INO, NAME),
            bytes.u16(p + DELETE_FLAGS, NAME), bytes.bytes(p + DELETE.byteSize(), nameLen, NAME));
      }
      case Format.DELTA_TRUNCATE -> {
        need(at, payload, TRUNCATE.byteSize(), "truncate payload");
        yield new DeltaEntry.Truncate(at, t, ino, ts, bytes.u64(p + TRUNCATE_NEW_SIZE, NAME));
      }
      case Format.DELTA_RENAME -> {
        need(at, payload, RENAME.byteSize(), "rename payload");
        int oldLen = bytes.u16(p + RENAME_OLD_NAME_LEN, NAME);
        int newLen = bytes.u16(p + RENAME_NEW_NAME_LEN, NAME);
        need(at, payload, RENAME.byteSize() + oldLen + newLen, "names");
        long names = p + RENAME.byteSize();
        yield new DeltaEntry.Rename(at, t, ino, ts, bytes.u64(p + RENAME_OLD_PARENT, NAME),
            bytes.u64(p + RENAME_NEW_PARENT, NAME), bytes.u64(p + RENAME_INO, NAME),
            bytes.bytes(names, oldLen, NAME), bytes.bytes(names + oldLen, newLen, NAME));
      }
      case Format.DELTA_SETATTR -> {
        need(at, payload, SETATTR.byteSize(), "setattr payload");
        yield new DeltaEntry.SetAttr(at, t, ino, ts, bytes.u32(p + SETATTR_MODE, NAME),
            bytes.u32(p + SETATTR_UID, NAME), bytes.u32(p + SETATTR_GID, NAME),
            bytes.u32(p + SETATTR_VALID, NAME), bytes.u64(p + SETATTR_SIZE, NAME));
      }
      case Format.DELTA_SYMLINK -> {
        need(at, payload, SYMLINK.byteSize(), "symlink payload");
        int nameLen = bytes.u16(p + SYMLINK_NAME_LEN, NAME);
        int targetLen = bytes.u16(p + SYMLINK_TARGET_LEN, NAME);
        need(at, payload, SYMLINK.byteSize() + nameLen + targetLen + 1, "name, target and NUL");
        long names = p + SYMLINK.byteSize();
        // The kernel points i_link into the log: without this NUL, readlink runs into the next entry.
        if (bytes.u8(names + nameLen + targetLen, NAME) != 0) {
          throw new FormatException(NAME, at, "symlink target is not followed by a NUL");
        }
        yield new DeltaEntry.Symlink(at, t, ino, ts, bytes.u64(p + SYMLINK_PARENT_INO, NAME),
            bytes.u64(p + SYMLINK_NEW_INO, NAME), bytes.bytes(names, nameLen, NAME),
            bytes.bytes(names + nameLen, targetLen, NAME));
      }
      default -> throw new FormatException(NAME, at, "unknown type " + Integer.toUnsignedString(type));
    };
  }

  private static void need(long at, long payload, long needed, String what) {
    if (needed > payload) {
      throw new FormatException(NAME, at, what + " needs " + needed + " payload bytes but the entry has " + payload);
    }
  }
}
