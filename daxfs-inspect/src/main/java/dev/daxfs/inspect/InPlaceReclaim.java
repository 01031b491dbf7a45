package dev.daxfs.inspect;

import dev.daxfs.format.BranchRecord;
import dev.daxfs.format.Format;
import dev.daxfs.format.Structs;
import dev.daxfs.format.Superblock;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.util.List;

/**
 * Reclaim in device memory, where there is no temporary file to rename: the image is rewritten in
 * place, in an order that leaves a valid image wherever the run stops (killed or interrupted;
 * stores reach the memory in program order, which is what another kernel mapping it sees). Each
 * step only removes what no remaining structure needs:
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
 */
final class InPlaceReclaim {
  private static final ValueLayout.OfLong U64 = ValueLayout.JAVA_LONG.withOrder(ByteOrder.LITTLE_ENDIAN);
  private static final long ALLOC = Structs.offset(Structs.SUPERBLOCK, "delta_alloc_offset");

  private InPlaceReclaim() {}

  /**
   * Rewrites {@code image} (which holds {@code sb} and {@code records}) to carry {@code fresh}, no
   * branch records and zeroed logs. The caller has checked that the table, the delta region and
   * delta_alloc_offset lie inside the image.
   */
  static void apply(MemorySegment image, Superblock sb, List<BranchRecord> records, Superblock fresh) {
    for (int i = records.size() - 1; i >= 0; i--) {
      image.asSlice(records.get(i).at(), Format.BRANCH_RECORD_SIZE).fill((byte) 0);
    }
    // The stores of one step must not become visible after those of the next (the JIT may reorder).
    VarHandle.fullFence();
    image.asSlice(sb.deltaRegionOffset(), sb.deltaAllocOffset() - sb.deltaRegionOffset()).fill((byte) 0);
    VarHandle.fullFence();
    MemorySegment encoded = MemorySegment.ofArray(fresh.encode());
    MemorySegment.copy(encoded, 0, image, 0, ALLOC);
    MemorySegment.copy(encoded, ALLOC + U64.byteSize(), image, ALLOC + U64.byteSize(),
        Format.SUPERBLOCK_SIZE - ALLOC - U64.byteSize());
    VarHandle.fullFence();
    image.set(U64, ALLOC, fresh.deltaAllocOffset());
  }
}
