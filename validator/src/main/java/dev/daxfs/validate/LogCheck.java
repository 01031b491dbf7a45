package dev.daxfs.validate;

import dev.daxfs.format.BranchRecord;
import dev.daxfs.format.DeltaEntry;
import dev.daxfs.format.DeltaLog;
import dev.daxfs.format.Format;
import dev.daxfs.format.FormatException;
import dev.daxfs.format.Image;
import dev.daxfs.format.Names;
import dev.daxfs.format.UndecodableEntry;
import java.util.Iterator;

/**
 * Rules 44-48: every entry of one log, on its own, and the largest inode number the log creates
 * (for rules 9 and 43). One pass, at most size/24 entries.
 */
final class LogCheck {
  /** Linux's largest file size (MAX_LFS_FILESIZE on 64-bit). */
  private static final long MAX_FILE_SIZE = Long.MAX_VALUE;
  private static final int TARGET_MAX = Format.BLOCK_SIZE - 1;

  private LogCheck() {}

  /** Checks {@code r}'s log (already known to lie in the delta region); returns the largest new inode. */
  static long check(Image image, BranchRecord r, Problems p) {
    DeltaLog log = image.deltaLog(r);
    long maxCreated = 0;
    Iterator<DeltaEntry> it = log.iterator();
    while (true) {
      DeltaEntry e;
      try {
        if (!it.hasNext()) {
          return maxCreated;
        }
        e = it.next();
      } catch (FormatException x) {
        undecodable(x, p);
        return maxCreated;
      }
      long created = entry(e, p);
      if (Long.compareUnsigned(created, maxCreated) > 0) {
        maxCreated = created;
      }
    }
  }

  private static void undecodable(FormatException x, Problems p) {
    Rule rule = Rule.ENTRY_PAYLOAD;
    String expected = "payload, names and data inside the entry";
    if (x instanceof UndecodableEntry u) {
      rule = switch (u.flaw()) {
        case FRAMING -> Rule.ENTRY_FRAMING;
        case TYPE -> Rule.ENTRY_TYPE;
        case PAYLOAD -> Rule.ENTRY_PAYLOAD;
      };
      expected = u.expected();
    }
    p.add(rule, "delta entry", x.offset(), expected, x.detail() + "; the rest of the log is not read");
  }

  /** Checks one decoded entry; returns the inode it creates, or 0. */
  private static long entry(DeltaEntry e, Problems p) {
    return switch (e) {
      case DeltaEntry.Create c -> {
        // The kernel logs CREATE only from create(2), always with S_IFREG; it has no mknod.
        if ((c.mode() & Format.S_IFMT) != Format.S_IFREG) {
          p.add(Rule.ENTRY_NAME, "CREATE entry", e.at(), "a regular file's mode",
              BaseCheck.modeText(c.mode()) + " (MKDIR and SYMLINK make directories and links; v3 has no other types)");
        }
        yield created(c.newIno(), c.name(), e, p);
      }
      case DeltaEntry.Mkdir m -> {
        // mkdir(2) logs mode | S_IFDIR, and the kernel's readdir of a log takes the type from it (F5).
        if ((m.mode() & Format.S_IFMT) != Format.S_IFDIR) {
          p.add(Rule.ENTRY_NAME, "MKDIR entry", e.at(), "a directory's mode",
              BaseCheck.modeText(m.mode()) + " (the kernel logs every MKDIR with S_IFDIR)");
        }
        yield created(m.newIno(), m.name(), e, p);
      }
      case DeltaEntry.Symlink s -> {
        if (s.target().length == 0 || s.target().length > TARGET_MAX || hasNul(s.target())) {
          p.add(Rule.ENTRY_NAME, "symlink entry", e.at(), s.newIno(),
              "a target of 1.." + TARGET_MAX + " bytes without NUL", Names.quoted(s.target()));
        }
        yield created(s.newIno(), s.name(), e, p);
      }
      case DeltaEntry.Delete d -> {
        name(e, d.name(), p);
        yield 0;
      }
      case DeltaEntry.Rename r -> {
        name(e, r.oldName(), p);
        name(e, r.newName(), p);
        yield 0;
      }
      case DeltaEntry.Write w -> {
        if (w.offset() < 0 || w.length() > MAX_FILE_SIZE - w.offset()) {
          size(e, "offset + len", Long.toUnsignedString(w.offset()) + " + " + w.length(), p);
        }
        yield 0;
      }
      case DeltaEntry.Truncate t -> {
        if (t.newSize() < 0) {
          size(e, "new_size", Long.toUnsignedString(t.newSize()), p);
        }
        yield 0;
      }
      case DeltaEntry.SetAttr a -> {
        if ((a.valid() & Format.ATTR_SIZE) != 0 && a.size() < 0) {
          size(e, "size", Long.toUnsignedString(a.size()), p);
        }
        yield 0;
      }
    };
  }

  private static long created(long newIno, byte[] name, DeltaEntry e, Problems p) {
    name(e, name, p);
    return newIno;
  }

  private static void name(DeltaEntry e, byte[] name, Problems p) {
    String bad = Names.problem(name);
    if (bad != null) {
      p.add(Rule.ENTRY_NAME, e.typeName() + " entry", e.at(), e.ino(),
          "a name of 1..128 bytes without '/' or NUL, not . or ..", bad + ": " + Names.quoted(name));
    }
  }

  private static void size(DeltaEntry e, String what, String found, Problems p) {
    p.add(Rule.ENTRY_SIZE, e.typeName() + " entry", e.at(), e.ino(), what + " at most 2^63 - 1", found);
  }

  private static boolean hasNul(byte[] b) {
    for (byte x : b) {
      if (x == 0) {
        return true;
      }
    }
    return false;
  }
}
