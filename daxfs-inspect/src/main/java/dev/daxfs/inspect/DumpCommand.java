package dev.daxfs.inspect;

import dev.daxfs.format.BaseImage;
import dev.daxfs.format.BranchRecord;
import dev.daxfs.format.DeltaEntry;
import dev.daxfs.format.Dirent;
import dev.daxfs.format.DirentArray;
import dev.daxfs.format.Format;
import dev.daxfs.format.FormatException;
import dev.daxfs.format.ImageBytes;
import dev.daxfs.format.Inode;
import dev.daxfs.format.Names;
import dev.daxfs.format.Structs;
import java.io.PrintWriter;
import java.lang.foreign.MemoryLayout;
import java.lang.foreign.StructLayout;
import java.lang.foreign.ValueLayout;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * Every structure decoded, one line each: superblock, base superblock, inode table (with each
 * directory's dirents), branch records, and each record's delta entries in log order. With -b,
 * only the superblock, that branch's record and its log.
 */
@Command(name = "dump", description = "Every structure decoded: superblock, base inodes and dirents, branch records,"
    + " delta entries in log order.")
final class DumpCommand extends ImageCommand {
  private static final java.util.Set<String> QUOTED = java.util.Set.of("name", "old_name", "new_name", "target");

  @Option(names = "--hex", description = "Add each structure's raw bytes.")
  boolean hex;

  private PrintWriter out;
  private ImageBytes bytes;

  @Override int run(Target t, PrintWriter out) {
    this.out = out;
    this.bytes = t.image.bytes();
    result.put("superblock", emit(null, "superblock", 0, Structs.SUPERBLOCK.byteSize(), fields(SUPERBLOCK, 0)));
    List<BranchRecord> records;
    if (branches.isEmpty()) {
      base(t);
      records = t.branches().stream().filter(b -> b.state() != Format.BRANCH_FREE).toList();
    } else {
      BranchRecord b = t.branch(branch());
      records = b == null ? List.of() : List.of(b);
    }
    List<Object> branchList = new ArrayList<>();
    for (BranchRecord b : records) {
      Map<String, Object> m = emit(null, "branch slot " + b.slot(), b.at(), Format.BRANCH_RECORD_SIZE, record(b));
      List<Object> entries = new ArrayList<>();
      try {
        for (DeltaEntry e : t.image.deltaLog(b)) {
          entries.add(emit("  ", "entry", e.at(), Integer.toUnsignedLong(e.totalSize()), entry(e)));
        }
      } catch (FormatException e) {
        t.problems.add(e);
        if (!json) {
          out.println("  (log unreadable: " + e.getMessage() + ")");
        }
      }
      m.put("entries", entries);
      branchList.add(m);
    }
    result.put("branches", branchList);
    return OK;
  }

  private void base(Target t) {
    BaseImage base;
    try {
      base = t.image.base();
    } catch (FormatException e) {
      t.problems.add(e);
      if (!json) {
        out.println("base: (unreadable: " + e.getMessage() + ")");
      }
      return;
    }
    result.put("base_superblock", emit(null, "base superblock", base.start(), Structs.BASE_SUPERBLOCK.byteSize(),
        fields(BASE_SUPERBLOCK, base.start())));
    // Dirents of overlapping directories could repeat without end: never print more than fit in the base.
    long direntBudget = base.length() / Format.DIRENT_SIZE;
    List<Object> inodes = new ArrayList<>();
    for (long ino = 1; ino <= base.inodeCount(); ino++) {
      Inode in;
      long at;
      try {
        at = base.inodeAt(ino);
        in = base.inode(ino);
      } catch (FormatException e) {
        t.problems.add(e);
        if (!json) {
          out.println("inode " + ino + ": (unreadable: " + e.getMessage() + "; the table ends here)");
        }
        break;
      }
      Map<String, Object> m = emit(null, "inode " + ino, at, Format.INODE_SIZE, fields(INODE, at));
      inodes.add(m);
      if (!in.isDirectory() || in.size() == 0) {
        continue;
      }
      List<Object> dirents = new ArrayList<>();
      try {
        DirentArray arr = base.dirents(in);
        if (arr.count() > direntBudget) {
          throw new FormatException("directory inode " + ino, arr.at(), arr.count()
              + " dirents overlap others already shown; not shown");
        }
        direntBudget -= arr.count();
        for (long i = 0; i < arr.count(); i++) {
          Dirent d = arr.get(i);
          Map<String, Object> df = new LinkedHashMap<>();
          df.put("ino", Integer.toUnsignedLong(d.ino()));
          df.put("mode", String.format("0%o", d.mode()));
          df.put("name_len", d.nameLen());
          df.put("name", Names.text(d.name()));
          dirents.add(emit("  ", "dirent " + i, d.at(), Format.DIRENT_SIZE, df));
        }
      } catch (FormatException e) {
        t.problems.add(e);
        if (!json) {
          out.println("  (dirents unreadable: " + e.getMessage() + ")");
        }
      }
      m.put("dirents", dirents);
    }
    result.put("inodes", inodes);
  }

  /** Prints one structure (text) and returns its JSON object. */
  private Map<String, Object> emit(String indent, String title, long at, long size, Map<String, Object> fields) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("offset", at);
    m.putAll(fields);
    if (json) {
      if (hex) {
        m.put("hex", Hex.string(bytes, at, size));
      }
      return m;
    }
    StringBuilder sb = new StringBuilder(indent == null ? "" : indent);
    sb.append(title).append(" @").append(at).append(':');
    fields.forEach((k, v) -> sb.append(' ').append(k).append('=').append(QUOTED.contains(k) ? "'" + v + "'" : v));
    out.println(sb);
    if (hex) {
      Hex.dump(bytes, at, size, out);
    }
    return m;
  }

  /** A field of a structure as dump prints it: its name, offset and width (padding has none). */
  private record Field(String name, long offset, long width) {}

  /** A structure's name and value fields, resolved once: a layout lookup per inode would dominate a dump. */
  private record Fields(String structure, List<Field> fields) {
    static Fields of(StructLayout layout) {
      List<Field> out = new ArrayList<>();
      for (MemoryLayout member : layout.memberLayouts()) {
        if (member instanceof ValueLayout v) {
          String name = v.name().orElseThrow();
          out.add(new Field(name, layout.byteOffset(MemoryLayout.PathElement.groupElement(name)), v.byteSize()));
        }
      }
      return new Fields(layout.name().orElseThrow(), List.copyOf(out));
    }
  }

  private static final Fields SUPERBLOCK = Fields.of(Structs.SUPERBLOCK);
  private static final Fields BASE_SUPERBLOCK = Fields.of(Structs.BASE_SUPERBLOCK);
  private static final Fields INODE = Fields.of(Structs.INODE);

  /**
   * The fields of the structure {@code layout} describes at {@code at}, named and ordered as Structs has
   * them (padding left out): integers as unsigned u32s and stored u64s, a magic in hex, a mode in octal.
   */
  private Map<String, Object> fields(Fields layout, long at) {
    String what = layout.structure();
    Map<String, Object> f = new LinkedHashMap<>();
    for (Field field : layout.fields()) {
      long where = at + field.offset();
      long value = switch ((int) field.width()) {
        case 8 -> bytes.u64(where, what);
        case 4 -> Integer.toUnsignedLong(bytes.u32(where, what));
        default -> bytes.u16(where, what);
      };
      f.put(field.name(), field.name().equals("magic") ? String.format("0x%x", value)
          : field.name().equals("mode") ? String.format("0%o", value) : value);
    }
    return f;
  }

  private static Map<String, Object> record(BranchRecord b) {
    Map<String, Object> f = new LinkedHashMap<>();
    f.put("id", b.branchId());
    f.put("parent_id", b.parentId());
    f.put("state", b.stateName());
    f.put("refcount", Integer.toUnsignedLong(b.refcount()));
    f.put("next_local_ino", b.nextLocalIno());
    f.put("name", b.name());
    f.put("log_offset", b.logOffset());
    f.put("log_size", b.logSize());
    f.put("log_capacity", b.logCapacity());
    return f;
  }

  private static Map<String, Object> entry(DeltaEntry e) {
    Map<String, Object> f = new LinkedHashMap<>();
    f.put("type", e.typeName());
    f.put("size", Integer.toUnsignedLong(e.totalSize()));
    f.put("ino", e.ino());
    f.put("timestamp", e.timestamp());
    switch (e) {
      case DeltaEntry.Write w -> {
        f.put("offset", w.offset());
        f.put("len", w.length());
        f.put("flags", Integer.toUnsignedLong(w.flags()));
        f.put("data_at", w.dataAt());
      }
      case DeltaEntry.Create c -> createLike(f, c.parentIno(), c.newIno(), c.mode(), c.flags(), c.name());
      case DeltaEntry.Mkdir m -> createLike(f, m.parentIno(), m.newIno(), m.mode(), m.flags(), m.name());
      case DeltaEntry.Delete d -> {
        f.put("parent", d.parentIno());
        f.put("flags", d.flags());
        f.put("name", Names.text(d.name()));
      }
      case DeltaEntry.Truncate t -> f.put("new_size", t.newSize());
      case DeltaEntry.Rename r -> {
        f.put("old_parent", r.oldParent());
        f.put("new_parent", r.newParent());
        f.put("renamed_ino", r.renamedIno());
        f.put("old_name", Names.text(r.oldName()));
        f.put("new_name", Names.text(r.newName()));
      }
      case DeltaEntry.SetAttr a -> {
        f.put("mode", String.format("0%o", a.mode()));
        f.put("uid", Integer.toUnsignedLong(a.uid()));
        f.put("gid", Integer.toUnsignedLong(a.gid()));
        f.put("valid", valid(a.valid()));
        f.put("attr_size", a.size());
      }
      case DeltaEntry.Symlink s -> {
        f.put("parent", s.parentIno());
        f.put("new_ino", s.newIno());
        f.put("name", Names.text(s.name()));
        f.put("target", Names.text(s.target()));
      }
    }
    return f;
  }

  private static void createLike(Map<String, Object> f, long parent, long newIno, int mode, int flags, byte[] name) {
    f.put("parent", parent);
    f.put("new_ino", newIno);
    f.put("mode", String.format("0%o", mode));
    f.put("flags", flags);
    f.put("name", Names.text(name));
  }

  /** "MODE|UID" and so on; unknown bits in hex. */
  private static String valid(int v) {
    List<String> parts = new ArrayList<>();
    String[] names = {"MODE", "UID", "GID", "SIZE"};
    for (int i = 0; i < names.length; i++) {
      if ((v & (1 << i)) != 0) {
        parts.add(names[i]);
      }
    }
    if ((v & ~0xf) != 0) {
      parts.add(String.format("0x%x", v & ~0xf));
    }
    return parts.isEmpty() ? "0" : String.join("|", parts);
  }
}
