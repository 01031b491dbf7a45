package dev.daxfs.inspect;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.daxfs.format.BranchRecord;
import dev.daxfs.format.DeltaEntry;
import dev.daxfs.format.Image;
import dev.daxfs.format.ImageBytes;
import dev.daxfs.format.KernelImages;
import dev.daxfs.format.Structs;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.StructLayout;
import java.lang.foreign.ValueLayout;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Broken images: every field of every structure set to hostile values, random bytes flipped, the
 * file cut short. Every command must end with a status and one-line messages, never an exception.
 */
class HostileImagesTest {
  private static final long[] VALUES = {0, 1, -1, Long.MAX_VALUE, 0x7fffffffL, 0xffffffffL, 4096, 1L << 40};

  @TempDir Path dir;
  private int runs;

  @Test
  @Timeout(300)
  void noCommandCrashesOrHangs() throws Exception {
    byte[] kernel = KernelImages.image("child-active");
    byte[] fixture = Files.readAllBytes(Fixture.branchingImage(dir));
    List<byte[]> images = new ArrayList<>();
    fieldMutations(kernel, images);
    Random rnd = new Random(6);
    for (int i = 0; i < 6; i++) {
      byte[] b = fixture.clone();
      for (int k = 0; k < 40; k++) {
        int at = rnd.nextInt(i % 2 == 0 ? 48 * 1024 : b.length);
        b[at] = (byte) rnd.nextInt(256);
      }
      images.add(b);
    }
    for (int cut : new int[] {0, 50, 4096, fixture.length / 2}) {
      images.add(Arrays.copyOf(fixture, cut));
    }
    for (byte[] img : images) {
      everyCommand(img);
    }
    assertTrue(runs > 300, "ran " + runs);
  }

  /** Each field of the superblock, base superblock, inodes 1 (a directory) and 3 (a file), a dirent of /, a record and some log entries. */
  private static void fieldMutations(byte[] image, List<byte[]> out) {
    Image img = Image.open(ImageBytes.of(image));
    long base = img.superblock().baseOffset();
    BranchRecord feature = img.branchTable().byName("feature").orElseThrow();
    field(image, 0, Structs.SUPERBLOCK, out);
    field(image, base, Structs.BASE_SUPERBLOCK, out);
    field(image, img.base().inodeAt(1), Structs.INODE, out);
    field(image, img.base().inodeAt(3), Structs.INODE, out);
    field(image, img.base().dirents(img.base().inode(1)).at(), Structs.DIRENT, out);
    field(image, feature.at(), Structs.BRANCH_RECORD, out);
    int n = 0;
    for (DeltaEntry e : img.deltaLog(feature)) {
      if (n++ % 5 == 0) {
        field(image, e.at(), Structs.DELTA_HEADER, out);
        field(image, e.at() + Structs.DELTA_HEADER.byteSize(), payload(e), out);
      }
    }
  }

  private static StructLayout payload(DeltaEntry e) {
    return switch (e) {
      case DeltaEntry.Write w -> Structs.WRITE;
      case DeltaEntry.Create c -> Structs.CREATE;
      case DeltaEntry.Mkdir m -> Structs.CREATE;
      case DeltaEntry.Delete d -> Structs.DELETE;
      case DeltaEntry.Truncate t -> Structs.TRUNCATE;
      case DeltaEntry.Rename r -> Structs.RENAME;
      case DeltaEntry.SetAttr a -> Structs.SETATTR;
      case DeltaEntry.Symlink s -> Structs.SYMLINK;
    };
  }

  /**
   * One copy per numeric field, holding one of the hostile values (taken in turn, cut to the
   * field's width): one value per field keeps the run short while every field sees a bad one.
   */
  private static void field(byte[] image, long at, StructLayout layout, List<byte[]> out) {
    for (var member : layout.memberLayouts()) {
      if (!(member instanceof ValueLayout value)) {
        continue;
      }
      long off = at + Structs.offset(layout, member.name().orElseThrow());
      long x = VALUES[out.size() % VALUES.length];
      byte[] b = image.clone();
      MemorySegment s = MemorySegment.ofArray(b);
      for (int i = 0; i < value.byteSize(); i++) {
        s.set(ValueLayout.JAVA_BYTE, off + i, (byte) (x >>> (8 * i)));
      }
      out.add(b);
    }
  }

  private void everyCommand(byte[] image) throws Exception {
    Path img = dir.resolve("h.img");
    Files.write(img, image);
    String f = img.toString();
    check(image, "status", "-f", f);
    check(image, "list", "-f", f);
    check(image, "info", "-f", f);
    check(image, "dump", "--hex", "-f", f);
    check(image, "dump", "--json", "-f", f, "-b", "feature");
    check(image, "ls", "-lR", "-f", f, "-b", "feature");
    check(image, "stat", "-f", f, "/etc/hostname");
    check(image, "cat", "-f", f, "-b", "feature", "/newdir/big-new");
    check(image, "diff", "-f", f, "-b", "feature");
    Path x = dir.resolve("x" + runs);
    check(image, "extract", "-f", f, "-b", "feature", x.toString());
    Path flat = dir.resolve("flat.img");
    check(image, "flatten", "-f", f, "-b", "feature", "-o", flat.toString());
    Files.deleteIfExists(flat);
    check(image, "reclaim", "--yes", "-f", f);
  }

  private void check(byte[] image, String... args) {
    Run r = Run.of(args);
    runs++;
    String what = String.join(" ", args) + " on an image of " + image.length + " bytes: " + r;
    assertTrue(r.status() >= 0 && r.status() <= 3, what);
    assertFalse(r.err().contains("internal error") || r.err().contains("Exception") || r.err().contains("\tat "),
        what);
    for (String line : r.err().split("\n")) {
      assertTrue(line.isEmpty() || line.startsWith("daxfs-inspect: ") || line.startsWith("Try 'daxfs-inspect"), what);
    }
  }
}
