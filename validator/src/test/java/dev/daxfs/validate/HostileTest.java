package dev.daxfs.validate;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.daxfs.format.BranchRecord;
import dev.daxfs.format.DeltaLogBuilder;
import dev.daxfs.format.Format;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Million-element images, checked in a test JVM capped at 256 MiB of heap (the "hostile" surefire
 * execution): the validator must stay linear and must not recurse. The images live off-heap.
 */
@Tag("hostile")
class HostileTest {
  private static final int MILLION = 1_000_000;
  private static final int DIR = Format.S_IFDIR | 0755;
  private static final int REG = Format.S_IFREG | 0644;

  @Test void millionDirentsNamingOneInode() {
    try (Arena arena = Arena.ofConfined()) {
      RawImage img = new RawImage(arena, 2, (long) MILLION * Format.DIRENT_SIZE);
      img.inode(1, DIR, (long) MILLION * Format.DIRENT_SIZE, img.dataOffset);
      img.inode(2, REG, 0, 0);
      for (long i = 0; i < MILLION; i++) {
        img.dirent(img.dataOffset + i * Format.DIRENT_SIZE, 2, REG, (byte) 'x');
      }
      Report r = img.check();
      // Every dirent after the first names an inode already reached and repeats the name "x".
      assertEquals(2L * (MILLION - 1), r.errors());
      assertEquals(100, r.problems().size());
    }
  }

  @Test void millionDeepChainIsValid() {
    try (Arena arena = Arena.ofConfined()) {
      RawImage img = new RawImage(arena, MILLION, (long) (MILLION - 1) * Format.DIRENT_SIZE);
      for (long ino = 1; ino <= MILLION; ino++) {
        long rel = img.dataOffset + (ino - 1) * Format.DIRENT_SIZE;
        boolean last = ino == MILLION;
        img.inode(ino, DIR, last ? 0 : Format.DIRENT_SIZE, last ? 0 : rel);
        if (!last) {
          img.dirent(rel, ino + 1, DIR, (byte) 'd');
        }
      }
      Report r = img.check();
      assertEquals(0, r.total(), () -> r.problems().toString());

      // The deepest directory's mode now differs from its dirent's: one problem, its path shortened.
      img.inode(MILLION, Format.S_IFDIR | 0700, 0, 0);
      Report broken = img.check();
      assertEquals(1, broken.errors(), () -> broken.problems().toString());
      assertEquals(".../d/d/d", broken.problems().get(0).path().substring(0, 9));
    }
  }

  @Test void millionEntryLog() {
    byte[] entry = new DeltaLogBuilder().truncate(Fixture.FILE, 7).toByteArray();
    long logSize = (long) MILLION * entry.length;
    try (Arena arena = Arena.ofConfined()) {
      // Room after the log for the 64 KiB log every mount carves (rule 8).
      Fixture f = Fixture.branching(Format.alignUp(logSize) + Format.KERNEL_LOG_CAPACITY, arena);
      long logAt = f.deltaRegion();
      MemorySegment one = MemorySegment.ofArray(entry);
      for (long i = 0; i < MILLION; i++) {
        MemorySegment.copy(one, 0, f.s, logAt + i * entry.length, entry.length);
      }
      f.putBytes(f.record(0), new BranchRecord(0, f.record(0), 1, 0, logAt, logSize, Format.alignUp(logSize),
          Format.BRANCH_ACTIVE, 1, Fixture.COUNT + 1, BranchRecord.nameField("main")).encode());
      f.superblock("delta_alloc_offset", logAt + Format.alignUp(logSize)).superblock("active_branches", 1)
          .superblock("next_branch_id", 2);
      Report r = f.check();
      assertEquals(0, r.total(), () -> r.problems().toString());
    }
  }
}
