package dev.daxfs.format;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.math.BigInteger;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** The gaps are exactly the bytes of [4096, min(limit, total_size)) in no region, for any superblock. */
class RegionGapTest {
  private static final long[] ODD = {0, 1, 4095, 4096, 5000, 8192, 12288, 20000, -1L, -4096L, Long.MAX_VALUE};

  private static Superblock sb(long total, long base, long baseSize, long table, int entries, long delta, long deltaSize) {
    return new Superblock(Format.IMAGE_MAGIC, Format.VERSION, 0, Format.BLOCK_SIZE, total, base, baseSize, table,
        entries, 0, 0, 0, delta, deltaSize, 0);
  }

  /** Byte by byte: in a region when its offset is not 0 and start <= x < start + length, in exact arithmetic. */
  private static List<RegionGap> model(Superblock s, long limit) {
    long top = Long.compareUnsigned(limit, s.totalSize()) < 0 ? limit : s.totalSize();
    long[][] regions = {{s.baseOffset(), s.baseSize()},
        {s.branchTableOffset(), Integer.toUnsignedLong(s.branchTableEntries()) * 128}, {s.deltaRegionOffset(), s.deltaRegionSize()}};
    boolean[] in = new boolean[(int) Math.max(top, 0)];
    for (long[] r : regions) {
      BigInteger start = new BigInteger(Long.toUnsignedString(r[0]));
      BigInteger end = start.add(new BigInteger(Long.toUnsignedString(r[1])));
      for (long x = 4096; r[0] != 0 && x < top; x++) {
        BigInteger bx = BigInteger.valueOf(x);
        if (bx.compareTo(start) >= 0 && bx.compareTo(end) < 0) {
          in[(int) x] = true;
        }
      }
    }
    List<RegionGap> out = new ArrayList<>();
    long from = -1;
    for (long x = 4096; x <= top; x++) {
      boolean free = x < top && !in[(int) x];
      if (free && from < 0) {
        from = x;
      } else if (!free && from >= 0) {
        out.add(new RegionGap(from, x));
        from = -1;
      }
    }
    return out;
  }

  @Test void asWrittenLayoutsAndHostileOnesMatchTheByteModel() {
    // As written: static, static padded to a fixed size, branching with a partial block before the delta region.
    assertEquals(List.of(), RegionGap.all(sb(20480, 4096, 16384, 0, 0, 0, 0), 20480));
    assertEquals(List.of(new RegionGap(20480, 32768)), RegionGap.all(sb(32768, 4096, 16384, 0, 0, 0, 0), 1L << 40));
    assertEquals(List.of(new RegionGap(36864 + 5000, 45056)),
        RegionGap.all(sb(45056 + 65536, 36864, 5000, 4096, 256, 45056, 65536), 1L << 40));
    // A late base, and fewer bytes present than total_size.
    assertEquals(List.of(new RegionGap(4096, 8192)), RegionGap.all(sb(20480, 8192, 12288, 0, 0, 0, 0), 20480));
    assertEquals(List.of(new RegionGap(4096, 6000)), RegionGap.all(sb(20480, 8192, 12288, 0, 0, 0, 0), 6000));
    Random rnd = new Random(61);
    for (int i = 0; i < 400; i++) {
      Superblock s = sb(pick(rnd), pick(rnd), pick(rnd), pick(rnd), rnd.nextInt(4) == 0 ? -1 : rnd.nextInt(300),
          pick(rnd), pick(rnd));
      long limit = rnd.nextBoolean() ? 20000 : rnd.nextInt(20000);
      assertEquals(model(s, limit), RegionGap.all(s, limit), s.toString());
    }
  }

  private static long pick(Random rnd) {
    return rnd.nextBoolean() ? ODD[rnd.nextInt(ODD.length)] : rnd.nextInt(20000);
  }
}
