package dev.daxfs.format;

import static dev.daxfs.format.Structs.SUPERBLOCK;
import static dev.daxfs.format.Structs.offset;

import java.io.IOException;
import java.lang.foreign.MemorySegment;
import java.lang.invoke.VarHandle;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.util.List;

/**
 * Reclaim: every branch record and log dropped and delta_alloc_offset rewound, giving back the
 * slots and the 64 KiB per mount the v3 kernel never returns. The result is the image as if it
 * had never been mounted ({@link Superblock#unmounted}). Two ways to write it: into a new file
 * ({@link #copyWithoutBranches}), or in place in device memory ({@link #inPlace}).
 */
public final class Reclaim {
  private static final long ALLOC = offset(SUPERBLOCK, "delta_alloc_offset");
  private static final int COPY_CHUNK = 1 << 16;
  private static final MemorySegment ZEROS = MemorySegment.ofArray(new byte[COPY_CHUNK]);

  private Reclaim() {}

  /** Refuses to write unless the regions reclaim rewrites lie inside the image where the superblock says. */
  public static void requireSafe(ImageBytes bytes, Superblock sb) {
    if (!bytes.contains(sb.branchTableOffset(), tableBytes(sb)) || sb.branchTableOffset() < Format.SUPERBLOCK_SIZE) {
      throw new FormatException(Superblock.NAME, offset(SUPERBLOCK, "branch_table_offset"), "branch table at "
          + Long.toUnsignedString(sb.branchTableOffset()) + " is not inside the image after the superblock; not rewritten");
    }
    if (!bytes.contains(sb.deltaRegionOffset(), sb.deltaRegionSize())
        || sb.deltaRegionOffset() < Format.SUPERBLOCK_SIZE) {
      throw new FormatException(Superblock.NAME, offset(SUPERBLOCK, "delta_region_offset"), "delta region at "
          + Long.toUnsignedString(sb.deltaRegionOffset()) + " is not inside the image after the superblock; not rewritten");
    }
    long alloc = sb.deltaAllocOffset();
    if (alloc < sb.deltaRegionOffset() || alloc - sb.deltaRegionOffset() > sb.deltaRegionSize()) {
      throw new FormatException(Superblock.NAME, ALLOC, "delta_alloc_offset " + Long.toUnsignedString(alloc)
          + " is outside the delta region; not rewritten");
    }
  }

  /**
   * Writes the reclaimed image of {@code image} (mapped) to {@code out} (a new, empty file):
   * everything but the delta region, then the zeroed branch table and {@code fresh}. Chunks of
   * zeros, the dropped delta region among them, stay holes of the file (as the writer leaves them);
   * the holes {@code data} names are not even read (a 4 GiB sparse image took 46 s to read whole).
   * The caller has checked {@link #requireSafe}.
   */
  public static void copyWithoutBranches(MemorySegment image, DataRanges data, FileChannel out, Superblock sb,
      Superblock fresh) throws IOException {
    long size = image.byteSize();
    long deltaStart = sb.deltaRegionOffset();
    long deltaEnd = deltaStart + sb.deltaRegionSize();
    copy(image, data, out, 0, deltaStart);
    copy(image, data, out, deltaEnd, size);
    write(out, sb.branchTableOffset(), new byte[(int) tableBytes(sb)]);
    write(out, 0, fresh.encode());
    if (out.size() < size) {
      write(out, size - 1, new byte[1]);   // the dropped delta region, or zeros at the end, stay a hole
    }
  }

  /**
   * Rewrites {@code image} (which holds {@code sb} and {@code records}) in place to carry
   * {@code fresh}, no branch records and zeroed logs, in an order that leaves a valid image
   * wherever the run stops (killed or interrupted; stores reach the memory in program order,
   * which is what another kernel mapping it sees). Each step only removes what no remaining
   * structure needs:
   *
   * <ol>
   *   <li>the branch records, last slot first: the kernel takes the first free slot and never frees
   *       one, so a child always sits after its parent, and every record still there has its parent;
   *       the logs they point to stay allocated;
   *   <li>the logs, zeroed (as the file path leaves them): no record points at them any more;
   *   <li>the superblock's counters (active_branches, next_branch_id, next_inode_id);
   *   <li>last, delta_alloc_offset, in one aligned 8-byte store: this is the write that gives the
   *       space back, and it is made only when nothing in the allocated part is referenced.
   * </ol>
   *
   * Before the last store the image is a valid image whose delta region holds unused, allocated
   * space, exactly what the kernel leaves behind after an abort; after it, the image is reclaimed.
   * The caller has checked {@link #requireSafe}.
   */
  public static void inPlace(MemorySegment image, Superblock sb, List<BranchRecord> records, Superblock fresh) {
    for (int i = records.size() - 1; i >= 0; i--) {
      image.asSlice(records.get(i).at(), Format.BRANCH_RECORD_SIZE).fill((byte) 0);
    }
    // The stores of one step must not become visible after those of the next (the JIT may reorder).
    VarHandle.fullFence();
    image.asSlice(sb.deltaRegionOffset(), sb.deltaAllocOffset() - sb.deltaRegionOffset()).fill((byte) 0);
    VarHandle.fullFence();
    MemorySegment encoded = MemorySegment.ofArray(fresh.encode());
    MemorySegment.copy(encoded, 0, image, 0, ALLOC);
    MemorySegment.copy(encoded, ALLOC + Long.BYTES, image, ALLOC + Long.BYTES,
        Format.SUPERBLOCK_SIZE - ALLOC - Long.BYTES);
    VarHandle.fullFence();
    Encoding.putU64Aligned(image, ALLOC, fresh.deltaAllocOffset());
  }

  /** The bytes of the branch table's records (entries capped as the kernel caps them). */
  private static long tableBytes(Superblock sb) {
    return Math.min(Integer.toUnsignedLong(sb.branchTableEntries()), Format.MAX_BRANCHES) * Format.BRANCH_RECORD_SIZE;
  }

  /** Copies [from, end) of the mapped image: its data ranges, leaving chunks of zeros as holes. */
  private static void copy(MemorySegment image, DataRanges data, FileChannel out, long from, long end)
      throws IOException {
    long at = from;
    while ((at = data.nextData(at, end)) < end) {
      long hole = data.nextHole(at, end);
      if (hole <= at) {
        throw new IOException("no progress past offset " + at + " (SEEK_HOLE said " + hole + ")");
      }
      copyData(image, out, at, hole);
      at = hole;
    }
  }

  private static void copyData(MemorySegment image, FileChannel out, long from, long end) throws IOException {
    for (long at = from; at < end; at += COPY_CHUNK) {
      long n = Math.min(COPY_CHUNK, end - at);
      MemorySegment chunk = image.asSlice(at, n);
      if (chunk.mismatch(ZEROS.asSlice(0, n)) < 0) {
        continue;
      }
      ByteBuffer b = chunk.asByteBuffer();
      while (b.hasRemaining()) {
        out.write(b, at + b.position());
      }
    }
  }

  private static void write(FileChannel out, long at, byte[] bytes) throws IOException {
    ByteBuffer b = ByteBuffer.wrap(bytes);
    while (b.hasRemaining()) {
      out.write(b, at + b.position());
    }
  }
}
