package dev.daxfs.inspect;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * status, list, info and dump on the fixture images. The numbers follow from the layout: the
 * base holds the superblock and inode table (8192 bytes), then one 4096-byte block each for /'s
 * dirents, /bin's dirents, /hello.txt and /lnk's target, and two for /bin/tool's 4106 bytes:
 * 32768 bytes. A static image puts it at 4096; a branching one at 36864 (after the branch
 * table), with its 1 MiB delta region at 69632.
 */
class StructureCommandsTest {
  @TempDir Path dir;
  private String stat;
  private String branching;

  @BeforeEach
  void images() throws Exception {
    stat = Fixture.staticImage(dir).toString();
    branching = Fixture.branchingImage(dir).toString();
  }

  @Test
  void statusOfAStaticImage() {
    assertEquals("""
        DAXFS Image Status
        ==================

        Format:
          Magic:           0x64617833
          Version:         3
          Block size:      4096
          Total size:      36864 bytes (36.0 KiB)

        Base image:
          Offset:          0x1000
          Size:            32768 bytes (32.0 KiB)
          Inodes:          5

        Branch table:      none (static image)

        Inodes:
          Next inode ID:   6

        Validity (daxfs-fsck):
          Errors:          0
          Warnings:        0
        """, Run.ok("status", "-f", stat).out());
  }

  @Test
  void statusOfABranchingImage() {
    // Two 64 KiB logs carved of the 1 MiB region.
    String out = Run.ok("status", "-f", branching).out();
    assertTrue(out.contains("""
        Branch table:
          Entries:         256 (max)
          Active:          2
          Used slots:      2
          Next branch ID:  3

        Delta region:
          Offset:          0x11000
          Total size:      1048576 bytes (1.0 MiB)
          Allocated:       131072 bytes (128.0 KiB)
          Free:            917504 bytes (896.0 KiB)
        """), out);
  }

  @Test
  void statusOfAnImageFsckRejects() throws Exception {
    // work's log starts at 135168 (the second 64 KiB log of the region at 69632): give its first entry type 99.
    byte[] b = java.nio.file.Files.readAllBytes(Path.of(branching));
    b[135168] = 99;
    Path broken = java.nio.file.Files.write(dir.resolve("broken.img"), b);
    Run r = Run.of("status", "-f", broken.toString());
    assertEquals(2, r.status(), r::toString);
    assertTrue(r.out().contains("""
        Validity (daxfs-fsck):
          Errors:          1
        """), r::toString);
    assertTrue(r.out().contains(" error: delta entry at offset 135168: "), r::toString);
    // The other commands still show what they can, and mark the problem.
    Run ls = Run.of("ls", "-f", broken.toString(), "-b", "work");
    assertEquals(2, ls.status());
    assertEquals("bin\nhello.txt\nlnk\nnotes\n", ls.out());
    assertEquals("daxfs-inspect: " + broken + ": branch slot 1: at offset 135168: delta entry: unknown type 99;"
        + " the rest of the log is skipped\n", ls.err());
  }

  @Test
  void listAndInfo() {
    // main's log: CREATE "notes" (24+24+5) and WRITE "abc" (24+16+3) = 96 bytes. work's: WRITE
    // "world\n" 46, MKDIR "new" 51, RENAME "lnk"->"lnk2" 63, DELETE "tool" 44, TRUNCATE 32, SETATTR 48 = 284.
    assertEquals("""
        SLOT  ID    NAME                  STATE       PARENT      REFCNT    DELTA_USED    DELTA_CAP
        ----  ----  --------------------  ----------  ----------  --------  ------------  ------------
        0     1     main                  ACTIVE      -           1         96            65536
        1     2     work                  ACTIVE      main        1         284           65536

        Total: 2 branches, 254 slots available
        """, Run.ok("list", "-f", branching).out());
    assertEquals("""
        Branch: work
          Slot:            1
          ID:              2
          State:           ACTIVE
          Parent:          main (id:1, slot 0)
          Reference count: 1
          Next inode:      0
          Delta log:
            Offset:        0x21000
            Used:          284 bytes (284 B)
            Capacity:      65536 bytes (64.0 KiB)
            Usage:         0.4%
          Delta entries:
            WRITE:     1
            DELETE:    1
            TRUNCATE:  1
            MKDIR:     1
            RENAME:    1
            SETATTR:   1
        """, Run.ok("info", "-f", branching, "-b", "work").out());
    Run none = Run.of("info", "-f", branching, "-b", "gone");
    assertEquals(1, none.status());
    assertEquals("daxfs-inspect: branch 'gone' not found\n", none.err());
  }

  @Test
  void dumpDecodesEveryStructure() {
    String out = Run.ok("dump", "-f", branching).out();
    assertTrue(out.startsWith("superblock @0: magic=0x64617833 version=3 flags=0 block_size=4096 total_size=1118208"
        + " base_offset=36864 base_size=32768 branch_table_offset=4096 branch_table_entries=256 active_branches=2"
        + " next_branch_id=3 next_inode_id=8 delta_region_offset=69632 delta_region_size=1048576"
        + " delta_alloc_offset=200704\n"), out);
    // /hello.txt: inode 4 at 36864 + 4096 + 3 * 64; its data after the blocks of /, /bin and /bin/tool (2).
    assertTrue(out.contains("\ninode 4 @41152: ino=4 mode=0100644 uid=1000 gid=1000 size=6 data_offset=24576"
        + " nlink=1\n"), out);
    assertTrue(out.contains("\n  dirent 0 @45056: ino=2 mode=040755 name_len=3 name='bin'\n"), out);
    assertTrue(out.contains("\nbranch slot 1 @4224: id=2 parent_id=1 state=ACTIVE refcount=1 next_local_ino=0"
        + " name='work' log_offset=135168 log_size=284 log_capacity=65536\n"), out);
    assertTrue(out.contains(" type=RENAME size=63 ino=5 timestamp=2 old_parent=1 new_parent=7 renamed_ino=5"
        + " old_name='lnk' new_name='lnk2'\n"), out);
    // magic "3xad", version 3, flags 0, block_size 4096 (00 10 00 00), as the format sheet lays them out.
    assertTrue(Run.ok("dump", "--hex", "-f", stat).out().contains("superblock @0: magic=0x64617833 version=3 flags=0"),
        out);
    assertTrue(Run.ok("dump", "--hex", "-f", stat).out().contains(
        "\n    @00000000  33 78 61 64 03 00 00 00  00 00 00 00 00 10 00 00  |3xad............|\n"));
    Run none = Run.of("dump", "-f", stat, "-b", "main");
    assertEquals(1, none.status());
    assertEquals("daxfs-inspect: branch 'main' not found (the image has no branch table)\n", none.err());
  }

  @Test
  void jsonOnEveryCommand() {
    assertTrue(Run.ok("status", "--json", "-f", stat).out().startsWith("{\"magic\":\"0x64617833\",\"version\":3,"));
    assertTrue(Run.ok("list", "--json", "-f", branching).out().contains("\"name\":\"work\",\"id\":2,\"parent_id\":1,"));
    assertTrue(Run.ok("info", "--json", "-f", branching, "-b", "work").out().contains(
        "\"entries\":{\"WRITE\":1,\"DELETE\":1,\"TRUNCATE\":1,\"MKDIR\":1,\"RENAME\":1,\"SETATTR\":1},\"problems\":[]}"));
    assertTrue(Run.ok("ls", "--json", "-f", stat, "/bin").out().equals("{\"path\":\"/bin\",\"entries\":[{\"path\":"
        + "\"/bin/tool\",\"ino\":3,\"type\":\"regular file\",\"mode\":\"0755\",\"uid\":0,\"gid\":0,\"size\":4106,"
        + "\"nlink\":1}],\"problems\":[]}\n"));
    assertTrue(Run.ok("dump", "--json", "--hex", "-f", stat).out().contains("\"hex\":\"33786164030000000000000000100000"));
    assertTrue(Run.of("diff", "--json", "-f", branching, "-b", "work").out().contains(
        "{\"change\":\"changed\",\"path\":\"/hello.txt\",\"what\":[\"mode 0644 -> 0600\",\"size 6 -> 12\"]}"));
    assertTrue(Run.ok("stat", "--json", "-f", branching, "-b", "work", "/notes").out().contains("\"size\":1,"));
  }
}
