package dev.daxfs.fuzz;

import static dev.daxfs.fuzz.Hazard.Kind.BAD_LOG_ENTRY;

import java.util.ArrayList;
import java.util.List;

/**
 * One persisted delta entry as the model decodes it itself, with the kernel's own checks
 * (daxfs_validate_delta_entry: total_size, capacity, type, minimum size, name lengths). Like the
 * kernel, an entry starts below the used size but may end anywhere inside the capacity. Names are
 * raw bytes.
 */
sealed interface LogEntry {
  long at();

  record Write(long at, long ino, long pos, long len, long dataAt) implements LogEntry {}
  record Create(long at, long parent, long ino, int mode, byte[] name, boolean directory) implements LogEntry {}
  record Delete(long at, long ino, long parent, byte[] name) implements LogEntry {}
  record Truncate(long at, long ino, long size) implements LogEntry {}
  record Rename(long at, long oldParent, long newParent, long ino, byte[] oldName, byte[] newName)
      implements LogEntry {}
  record SetAttr(long at, long ino, int mode, long uid, long gid, long valid, long size) implements LogEntry {}
  record Symlink(long at, long parent, long ino, byte[] name, byte[] target, long targetAt) implements LogEntry {}

  int HEADER = 24;

  /**
   * Decodes [start, start+size) of a log whose capacity is {@code capacity}; stops at a zero
   * total_size, and at the first bad entry (recorded as a hazard), as the kernel's index build does.
   */
  static List<LogEntry> decode(KernelMemory mem, long start, long size, long capacity, Region log) {
    List<LogEntry> out = new ArrayList<>();
    long off = 0;
    while (off < size) {
      long at = start + off;
      long left = capacity - off;
      if (left < 8) {
        mem.hazard(BAD_LOG_ENTRY, at, left + " bytes before the end of the log's capacity, too few for a header");
        break;
      }
      long total = mem.u32(at + 4, log, "delta entry total_size");
      if (total == 0) {
        break;
      }
      String bad = check(mem, at, off, total, left, log);
      if (bad != null) {
        mem.hazard(BAD_LOG_ENTRY, at, bad);
        break;
      }
      out.add(entry(mem, at, log));
      off += total;
    }
    return out;
  }

  private static long minSize(long type) {
    return HEADER + switch ((int) type) {
      case 1 -> 16;
      case 2, 5 -> 24;
      case 3 -> 16;
      case 4 -> 8;
      case 6 -> 32;
      case 7 -> 24;
      case 8 -> 24;
      default -> -HEADER;
    };
  }

  private static String check(KernelMemory mem, long at, long off, long total, long left, Region log) {
    if (total < HEADER) {
      return "total_size " + total + " is smaller than the header (the kernel refuses the log: EINVAL)";
    }
    if (total > left) {
      return "entry of " + total + " bytes at log offset " + off + " runs past the log capacity (" + left + " bytes left)";
    }
    long type = mem.u32(at, log, "delta entry type");
    long min = minSize(type);
    if (min == 0) {
      return "unknown type " + type;
    }
    if (total < min) {
      return "entry of " + total + " bytes is too small for type " + type;
    }
    long p = at + HEADER;
    long needed = switch ((int) type) {
      case 1 -> min + mem.u32(p + 8, log, "write len");
      case 2, 5 -> min + mem.u16(p + 20, log, "create name_len");
      case 3 -> min + mem.u16(p + 8, log, "delete name_len");
      case 6 -> min + mem.u16(p + 24, log, "rename old_name_len") + mem.u16(p + 26, log, "rename new_name_len");
      case 8 -> min + mem.u16(p + 16, log, "symlink name_len") + mem.u16(p + 18, log, "symlink target_len") + 1;
      default -> min;
    };
    return total < needed ? "type " + type + " entry of " + total + " bytes is truncated (needs " + needed + ")" : null;
  }

  private static LogEntry entry(KernelMemory mem, long at, Region log) {
    long type = mem.u32(at, log, "delta entry type");
    long ino = mem.u64(at + 8, log, "delta entry ino");
    long p = at + HEADER;
    return switch ((int) type) {
      case 1 -> new Write(at, ino, mem.u64(p, log, "write offset"), mem.u32(p + 8, log, "write len"), p + 16);
      case 2, 5 -> new Create(at, mem.u64(p, log, "parent"), mem.u64(p + 8, log, "new_ino"),
          (int) mem.u32(p + 16, log, "mode"), mem.bytes(p + 24, mem.u16(p + 20, log, "name_len"), log, "name"),
          type == 5);
      case 3 -> new Delete(at, ino, mem.u64(p, log, "parent"),
          mem.bytes(p + 16, mem.u16(p + 8, log, "name_len"), log, "name"));
      case 4 -> new Truncate(at, ino, mem.u64(p, log, "new_size"));
      case 6 -> {
        int oldLen = mem.u16(p + 24, log, "old_name_len");
        int newLen = mem.u16(p + 26, log, "new_name_len");
        yield new Rename(at, mem.u64(p, log, "old_parent"), mem.u64(p + 8, log, "new_parent"),
            mem.u64(p + 16, log, "ino"), mem.bytes(p + 32, oldLen, log, "old name"),
            mem.bytes(p + 32 + oldLen, newLen, log, "new name"));
      }
      case 7 -> new SetAttr(at, ino, (int) mem.u32(p, log, "mode"), mem.u32(p + 4, log, "uid"),
          mem.u32(p + 8, log, "gid"), mem.u32(p + 12, log, "valid"), mem.u64(p + 16, log, "size"));
      default -> {
        int nameLen = mem.u16(p + 16, log, "name_len");
        int targetLen = mem.u16(p + 18, log, "target_len");
        yield new Symlink(at, mem.u64(p, log, "parent"), mem.u64(p + 8, log, "new_ino"),
            mem.bytes(p + 24, nameLen, log, "name"), mem.bytes(p + 24 + nameLen, targetLen, log, "target"),
            p + 24 + nameLen);
      }
    };
  }
}
