package dev.daxfs.inspect;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.daxfs.format.BranchRecord;
import dev.daxfs.format.Format;
import dev.daxfs.format.FormatException;
import dev.daxfs.format.Image;
import dev.daxfs.format.ImageBytes;
import dev.daxfs.format.ImageFile;
import dev.daxfs.format.KernelImages;
import dev.daxfs.format.Listing;
import dev.daxfs.format.Replay;
import dev.daxfs.format.Structs;
import dev.daxfs.format.Reclaim;
import dev.daxfs.format.Superblock;
import dev.daxfs.validate.Options;
import dev.daxfs.validate.Rule;
import dev.daxfs.validate.Validator;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** flatten keeps a branch's view as a new base; reclaim gives back every branch slot and log. */
class FlattenReclaimTest {
  @TempDir Path dir;

  /** A view's listing without inode numbers (a new image numbers its tree afresh). */
  private static List<String> withoutInodes(Image img, BranchRecord b) {
    List<String> out = new ArrayList<>();
    for (String l : Listing.of(b == null ? Replay.base(img, p -> { }) : Replay.branch(img, b, p -> { }))) {
      out.add(l.replaceFirst(" ino=\\d+ ", " "));
    }
    out.sort(null);
    return out;
  }

  @Test
  void flattenedKernelBranchesReadBackAsTheirViews() throws Exception {
    for (String[] c : new String[][] {{"child-active", "feature"}, {"child-commit", "main"},
        {"remount-after-umount", "slot:1"}}) {
      Path in = dir.resolve(c[0] + ".img");
      Files.write(in, KernelImages.image(c[0]));
      Path out = dir.resolve(c[0] + "-flat.img");
      Run.ok("flatten", "-f", in.toString(), "-b", c[1], "-o", out.toString(), "-w", "-D", "1M");
      try (ImageFile src = ImageFile.open(in); ImageFile flat = ImageFile.open(out)) {
        BranchRecord b = c[1].startsWith("slot:") ? src.image().branchTable().records().get(1)
            : src.image().branchTable().byName(c[1]).orElseThrow();
        List<String> expected = withoutInodes(src.image(), b);
        assertTrue(expected.stream().anyMatch(l -> l.endsWith(" /newdir/small-renamed sha256="
            + "e72b406542ea33182ad1ca541db73fd8dfacb96a6af0ae0cc2cc76434283ad3f")), c[0]);
        assertEquals(expected, withoutInodes(flat.image(), null), c[0]);
        Superblock sb = flat.image().superblock();
        assertTrue(sb.isBranching());
        assertEquals(1 << 20, sb.deltaRegionSize());
        assertEquals(List.of(), flat.image().branchTable().used());
      }
    }
  }

  @Test
  void flattenSkipsWhatV3CannotStoreNamingItsPath() throws Exception {
    // A base inode made a fifo by hand, two directories deep: mkdaxfs never writes one.
    Path in = Fixture.staticImage(dir);
    long at;
    try (ImageFile f = ImageFile.open(in)) {
      var base = f.image().base();
      long tool = 0;
      for (long ino = 1; ino <= base.inodeCount(); ino++) {
        if (base.inode(ino).isRegular() && base.inode(ino).size() == Fixture.TOOL.length) {
          tool = ino;
        }
      }
      at = base.inodeAt(tool) + Structs.offset(Structs.INODE, "mode");
    }
    byte[] bytes = Files.readAllBytes(in);
    ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN).putInt((int) at, 0010644);
    Files.write(in, bytes);
    Path out = dir.resolve("flat.img");
    Run r = Run.of("flatten", "-f", in.toString(), "-o", out.toString());
    assertTrue(r.out().contains("skipped: /bin/tool (fifo)\n"), r.out());
    // fsck rejects the input (rule 18 and the dirent's mode, rule 29): flatten still writes what
    // it could, and says so by its status.
    assertEquals(2, r.status(), r::toString);
    assertTrue(r.err().contains("rule 18 error: inode at offset " + at + " (inode "), r.err());
    assertTrue(Files.isRegularFile(out));
  }

  @Test
  void flattenRefusesToOverwriteItsInput() throws Exception {
    Path in = Fixture.staticImage(dir);
    Run r = Run.of("flatten", "-f", in.toString(), "-o", in.toString());
    assertEquals(1, r.status());
    assertEquals("daxfs-inspect: " + in + ": is the input image; write the flattened image elsewhere\n", r.err());
  }

  /** Name -> type, inode, device number and (files) contents: what a refused run must not change. */
  private static java.util.Map<String, String> snapshot(Path d) throws java.io.IOException {
    java.util.Map<String, String> m = new java.util.TreeMap<>();
    try (var s = Files.list(d)) {
      for (Path p : s.toList()) {
        var a = Files.readAttributes(p, "unix:mode,ino,rdev", java.nio.file.LinkOption.NOFOLLOW_LINKS);
        String v = Integer.toOctalString((Integer) a.get("mode")) + " " + a.get("ino") + " " + a.get("rdev");
        if (Files.isRegularFile(p, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
          v += " " + java.util.Arrays.hashCode(Files.readAllBytes(p));
        }
        m.put(p.getFileName().toString(), v);
      }
    }
    return m;
  }

  private static void exec(String... command) throws Exception {
    assertEquals(0, new ProcessBuilder(command).inheritIO().start().waitFor(), String.join(" ", command));
  }

  private static boolean root() {
    return "root".equals(System.getProperty("user.name"));
  }

  @Test
  void flattenRefusesEveryExistingNodeThatIsNotARegularFileWithExit3() throws Exception {
    Path in = Fixture.staticImage(dir);
    Path out = Files.createDirectory(dir.resolve("out"));
    exec("mkfifo", out.resolve("fifo").toString());
    Files.createDirectory(out.resolve("dir"));
    List<String> names = new ArrayList<>(List.of("fifo", "dir"));
    if (root()) {
      exec("mknod", out.resolve("null").toString(), "c", "1", "3");
      names.add("null");
    } else {
      System.err.println("SKIPPED: a device node as flatten -o needs root for mknod; FIFO and directory tested");
    }
    var before = snapshot(out);
    for (String name : names) {
      Run r = Run.of("flatten", "-f", in.toString(), "-o", out.resolve(name).toString());
      assertEquals(3, r.status(), r.toString());
      assertTrue(r.err().startsWith("daxfs-inspect: " + out.resolve(name) + ": cannot write image: is a "), r.err());
      assertTrue(r.err().endsWith(", not a regular file; refusing to replace it\n"), r.err());
    }
    assertEquals(before, snapshot(out));
    Run empty = Run.of("flatten", "-f", in.toString(), "-o", "");
    assertEquals(1, empty.status(), empty.toString());
    assertEquals(before, snapshot(out));
  }

  @Test
  void flattenWritesThroughASymlink() throws Exception {
    Path in = Fixture.staticImage(dir);
    Path real = Files.writeString(dir.resolve("real.img"), "old");
    Path link = Files.createSymbolicLink(dir.resolve("link.img"), real.getFileName());
    Run.ok("flatten", "-f", in.toString(), "-o", link.toString());
    assertTrue(Files.isSymbolicLink(link));
    assertEquals(-1, Files.mismatch(in, real), "the flattened static image of a static image is that image");
    assertEquals(List.of("link.img", "real.img", "static.img"), Files.list(dir).map(p -> p.getFileName().toString())
        .sorted().toList());
  }

  @Test
  void reclaimThroughASymlinkReclaimsTheImageAndKeepsTheLink() throws Exception {
    Path real = Files.write(dir.resolve("real.img"), KernelImages.image("remount-after-umount"));
    Path link = Files.createSymbolicLink(dir.resolve("link.img"), real.getFileName());
    Run done = Run.ok("reclaim", "--yes", "-f", link.toString());
    assertTrue(done.out().endsWith(link + ": dropped 3 branch records (13 entries), freed 196608 bytes of delta space\n"),
        done.out());
    assertTrue(Files.isSymbolicLink(link));
    try (ImageFile f = ImageFile.open(real)) {
      assertTrue(f.image().branchTable().records().stream().allMatch(r -> r.state() == Format.BRANCH_FREE));
      assertEquals(0, f.image().superblock().activeBranches());
    }
    assertEquals(List.of("link.img", "real.img"), Files.list(dir).map(p -> p.getFileName().toString()).sorted().toList());
  }

  @Test
  void reclaimKeepsTheImagesOwnerGroupAndMode() throws Exception {
    if (!root()) {
      System.err.println("SKIPPED: giving the image to 1000:1000 needs root");
    }
    org.junit.jupiter.api.Assumptions.assumeTrue(root(), "SKIPPED: giving the image to 1000:1000 needs root");
    Path img = Files.write(dir.resolve("r.img"), KernelImages.image("remount-after-umount"));
    exec("chown", "1000:1000", img.toString());
    exec("chmod", "0640", img.toString());
    Run.ok("reclaim", "--yes", "-f", img.toString());
    var a = Files.readAttributes(img, "unix:uid,gid,mode");
    assertEquals(1000, a.get("uid"));
    assertEquals(1000, a.get("gid"));
    assertEquals(0100640, a.get("mode"));
    try (ImageFile f = ImageFile.open(img)) {
      assertEquals(0, f.image().superblock().activeBranches());
    }
  }

  @Test
  void reclaimDropsEveryBranchOnlyWhenToldTo() throws Exception {
    Path img = dir.resolve("r.img");
    Files.write(img, KernelImages.image("remount-after-umount"));
    byte[] before = Files.readAllBytes(img);
    Run refused = Run.of("reclaim", "-f", img.toString());
    assertEquals(1, refused.status());
    assertEquals("""
        slot 0   main                 ACTIVE     log      0 bytes, no entries
        slot 1   slot:1               ABORTED    log   6669 bytes, WRITE=4 CREATE=2 DELETE=1 TRUNCATE=1 MKDIR=1 \
        RENAME=1 SETATTR=2 SYMLINK=1
        slot 2   main                 ACTIVE     log      0 bytes, no entries
        13 entries in 3 branch records would be dropped; nothing done (run again with --yes)
        """, refused.out());
    assertEquals(List.of(), List.of(Files.list(dir).filter(p -> p.getFileName().toString().endsWith(".tmp"))
        .toArray()));
    assertTrue(java.util.Arrays.equals(before, Files.readAllBytes(img)));

    // Three 64 KiB logs were carved (superblock in the expect file: delta_alloc 299008, region at 102400).
    Run done = Run.ok("reclaim", "--yes", "-f", img.toString());
    assertTrue(done.out().endsWith(img + ": dropped 3 branch records (13 entries), freed 196608 bytes of delta space\n"),
        done.out());
    try (ImageFile f = ImageFile.open(img)) {
      Superblock sb = f.image().superblock();
      assertEquals(sb.deltaRegionOffset(), sb.deltaAllocOffset());
      assertEquals(0, sb.activeBranches());
      assertEquals(1, sb.nextBranchId());
      assertEquals(13, sb.nextInodeId());
      assertTrue(f.image().branchTable().records().stream().allMatch(r -> r.state() == Format.BRANCH_FREE));
      assertTrue(f.image().bytes().isZero(sb.deltaRegionOffset(), sb.deltaRegionSize(), "delta region"));
      assertEquals(before.length, f.image().bytes().size());
      // Everything before the branch table and the base are untouched.
      long base = sb.baseOffset();
      assertTrue(java.util.Arrays.equals(before, (int) base, (int) (base + sb.baseSize()),
          f.image().bytes().bytes(base, sb.baseSize(), "base"), 0, (int) sb.baseSize()));
    }
    // Nothing left to drop: no --yes needed, nothing freed.
    assertTrue(Run.ok("reclaim", "-f", img.toString()).out().endsWith("freed 0 bytes of delta space\n"));
  }

  /**
   * In device memory reclaim rewrites the image in place (reclaim --force; vm-tests runs it on
   * devdax): the bytes it leaves are those of the file path's new image, up to the end of memory.
   */
  @Test
  void inPlaceReclaimLeavesTheBytesTheFilePathWrites() throws Exception {
    byte[] before = KernelImages.image("remount-after-umount");
    Path img = Files.write(dir.resolve("r.img"), before);
    Run.ok("reclaim", "--yes", "-f", img.toString());
    byte[] after = Files.readAllBytes(img);
    MemorySegment memory = Arena.ofAuto().allocate(before.length + 8192, 4096);
    memory.fill((byte) 0x5a);
    MemorySegment.copy(MemorySegment.ofArray(before), 0, memory, 0, before.length);
    Image image = Image.open(new ImageBytes(memory.asSlice(0, before.length)));
    Superblock fresh = Image.open(ImageBytes.of(after)).superblock();
    Reclaim.inPlace(memory, image.superblock(), image.branchTable().records(), fresh);
    assertArrayEquals(after, memory.asSlice(0, before.length).toArray(ValueLayout.JAVA_BYTE));
    assertTrue(memory.asSlice(before.length).elements(ValueLayout.JAVA_BYTE)
        .allMatch(b -> b.get(ValueLayout.JAVA_BYTE, 0) == 0x5a), "nothing written past the image");
  }

  /** Memory is rewritten only when it holds an image whose problems, if any, are all in what reclaim drops. */
  @Test
  void inPlaceReclaimNeedsAnImageValidButForItsBranches() throws Exception {
    byte[] b = KernelImages.image("remount-after-umount");
    Superblock sb = Image.open(ImageBytes.of(b)).superblock();
    ReclaimCommand.requireValid(ImageBytes.of(b));
    // delta_alloc_offset rewound below the logs (a rule 8 error): reclaim repairs exactly that.
    byte[] rewound = b.clone();
    ByteBuffer.wrap(rewound).order(ByteOrder.LITTLE_ENDIAN)
        .putLong((int) Structs.offset(Structs.SUPERBLOCK, "delta_alloc_offset"),
            sb.deltaRegionOffset());
    assertTrue(Validator.check(ImageBytes.of(rewound), Options.of(b.length)).problems()
        .stream().anyMatch(q -> q.rule() == Rule.DELTA_ALLOC_OFFSET));
    ReclaimCommand.requireValid(ImageBytes.of(rewound));
    // The base's magic overwritten: not an image reclaim may touch.
    byte[] broken = b.clone();
    broken[(int) sb.baseOffset()] = 'X';
    FormatException e = assertThrows(FormatException.class, () -> ReclaimCommand.requireValid(ImageBytes.of(broken)));
    assertTrue(e.getMessage().startsWith("base superblock at offset " + sb.baseOffset()
        + ": not rewritten, it does not validate: rule 10 (base magic and version): expected "), e.getMessage());
  }

  @Test
  void forceIsForDeviceMemoryOnly() throws Exception {
    Path img = Files.write(dir.resolve("r.img"), KernelImages.image("remount-after-umount"));
    Run r = Run.of("reclaim", "--force", "--yes", "-f", img.toString());
    assertEquals(1, r.status());
    assertEquals("daxfs-inspect: --force is for --devdax and --phys; an image file is replaced whole without it\n",
        r.err());
  }

  @Test
  void forceDoesNotRewriteADmaBufAnotherProcessHolds() {
    // Refused before the buffer is looked up: this process's stdin is named, and it is no dma-buf.
    Run r = Run.of("reclaim", "--force", "--yes", "--dmabuf", ProcessHandle.current().pid() + ":0");
    assertEquals(1, r.status());
    assertEquals("daxfs-inspect: a dma-buf another process holds is only read here; copy the image out with"
        + " flatten, or rewrite devdax or /dev/mem images in place\n", r.err());
  }
}
