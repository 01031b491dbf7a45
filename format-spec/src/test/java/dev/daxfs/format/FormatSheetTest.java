package dev.daxfs.format;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.foreign.MemoryLayout;
import java.lang.foreign.StructLayout;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** FORMAT.md's tables and the code state the same format: every offset, size, field and constant. */
class FormatSheetTest {
  private static final Pattern SECTION = Pattern.compile("^### .*\\(`([A-Za-z_]+)`\\)\\s*$");
  private static final Pattern ROW = Pattern.compile("^\\|([^|]*)\\|([^|]*)\\|([^|]*)\\|.*$");
  private static final String ZERO_TAIL = "(zero tail)";

  /** Table rows under each "### ... (`NAME`)" heading, cells trimmed, header and rule rows dropped. */
  private static final Map<String, List<String[]>> tables = new LinkedHashMap<>();

  @BeforeAll
  static void readSheet() throws Exception {
    String section = null;
    for (String line : Files.readAllLines(Path.of("FORMAT.md"))) {
      Matcher s = SECTION.matcher(line);
      if (s.matches()) {
        section = s.group(1);
        assertFalse(tables.containsKey(section), "two sections for " + section);
        tables.put(section, new ArrayList<>());
        continue;
      }
      if (line.startsWith("## ") || line.startsWith("### ")) {
        section = null;
      }
      Matcher r = ROW.matcher(line);
      if (section != null && r.matches()) {
        String first = r.group(1).trim();
        if (first.startsWith("---") || first.equals("offset") || first.equals("constant")) {
          continue;
        }
        tables.get(section).add(new String[] {first, r.group(2).trim(), r.group(3).trim()});
      }
    }
  }

  private static Map<String, StructLayout> layouts() throws IllegalAccessException {
    Map<String, StructLayout> out = new LinkedHashMap<>();
    for (Field f : Structs.class.getFields()) {
      if (Modifier.isStatic(f.getModifiers()) && f.getType() == StructLayout.class) {
        out.put(f.getName(), (StructLayout) f.get(null));
      }
    }
    return out;
  }

  private static String unquote(String cell) {
    assertTrue(cell.startsWith("`") && cell.endsWith("`"), "field or constant not in backticks: " + cell);
    return cell.substring(1, cell.length() - 1);
  }

  @Test
  void everyLayoutHasATableAndEveryTableALayout() throws Exception {
    var documented = new TreeSet<>(tables.keySet());
    documented.remove("Format");
    assertEquals(new TreeSet<>(layouts().keySet()), documented);
  }

  @Test
  void tablesMatchLayoutsFieldByField() throws Exception {
    Map<String, Integer> blockSizes = Map.of(
        "SUPERBLOCK", Format.SUPERBLOCK_SIZE, "BASE_SUPERBLOCK", Format.BASE_SUPERBLOCK_SIZE);
    for (var e : layouts().entrySet()) {
      StructLayout layout = e.getValue();
      List<String[]> rows = new ArrayList<>(tables.get(e.getKey()));
      List<MemoryLayout> members = layout.memberLayouts();
      if (!rows.isEmpty() && rows.getLast()[2].equals(ZERO_TAIL)) {
        String[] tail = rows.removeLast();
        Integer block = blockSizes.get(e.getKey());
        assertTrue(block != null, e.getKey() + " has a zero tail but is not a fixed block");
        assertEquals(layout.byteSize(), Long.parseLong(tail[0]), e.getKey() + " zero tail offset");
        assertEquals(block - layout.byteSize(), Long.parseLong(tail[1]), e.getKey() + " zero tail size");
      } else {
        assertFalse(blockSizes.containsKey(e.getKey()), e.getKey() + " lacks its zero tail row");
      }
      List<String> docFields = rows.stream().map(r -> unquote(r[2])).toList();
      List<String> codeFields = members.stream().map(m -> m.name().orElseThrow()).toList();
      assertEquals(codeFields, docFields, e.getKey() + " fields");
      for (int i = 0; i < rows.size(); i++) {
        String field = codeFields.get(i);
        assertEquals(Structs.offset(layout, field), Long.parseLong(rows.get(i)[0]), e.getKey() + "." + field + " offset");
        assertEquals(members.get(i).byteSize(), Long.parseLong(rows.get(i)[1]), e.getKey() + "." + field + " size");
      }
    }
  }

  @Test
  void constantsTableMatchesFormat() throws Exception {
    Map<String, Long> code = new LinkedHashMap<>();
    for (Field f : Format.class.getFields()) {
      if (Modifier.isStatic(f.getModifiers()) && Modifier.isFinal(f.getModifiers())
          && (f.getType() == int.class || f.getType() == long.class)) {
        code.put(f.getName(), ((Number) f.get(null)).longValue());
      }
    }
    Map<String, Long> doc = new LinkedHashMap<>();
    for (String[] row : tables.get("Format")) {
      assertEquals(null, doc.put(unquote(row[0]), parse(row[1])), "constant listed twice: " + row[0]);
    }
    assertEquals(new TreeSet<>(code.keySet()), new TreeSet<>(doc.keySet()), "constant names");
    for (var e : code.entrySet()) {
      assertEquals(e.getValue(), doc.get(e.getKey()), e.getKey());
    }
  }

  @Test
  void fixedSizeStructuresMatchTheirConstants() {
    assertEquals(Format.INODE_SIZE, Structs.INODE.byteSize());
    assertEquals(Format.DIRENT_SIZE, Structs.DIRENT.byteSize());
    assertEquals(Format.BRANCH_RECORD_SIZE, Structs.BRANCH_RECORD.byteSize());
    assertEquals(Format.DELTA_HEADER_SIZE, Structs.DELTA_HEADER.byteSize());
    assertEquals(Format.NAME_MAX, Structs.DIRENT.select(MemoryLayout.PathElement.groupElement("name")).byteSize());
  }

  /** Hex (0x...), C octal (leading 0) or decimal. */
  private static long parse(String v) {
    if (v.startsWith("0x")) {
      return Long.parseLong(v.substring(2), 16);
    }
    if (v.length() > 1 && v.startsWith("0")) {
      return Long.parseLong(v.substring(1), 8);
    }
    return Long.parseLong(v);
  }
}
