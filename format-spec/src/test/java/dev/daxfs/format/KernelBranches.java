package dev.daxfs.format;

import java.io.IOException;
import java.lang.foreign.MemorySegment;
import java.util.ArrayList;
import java.util.List;

/**
 * A branching image with branches laid out as the v3 kernel lays them: every mount starts a
 * {@code main} (id 1) in the first free slot, every branch gets a fixed 64 KiB log carved at
 * delta_alloc_offset, a commit appends the child's log bytes to its parent's log and marks the
 * child COMMITTED with its name zeroed, an abort marks it ABORTED with its name zeroed.
 */
public final class KernelBranches {
  private final byte[] image;
  private final Superblock sb;
  private final List<BranchRecord> records = new ArrayList<>();
  private final List<DeltaLogBuilder> logs = new ArrayList<>();
  private long alloc;
  private long nextBranchId = 1;
  private long nextInodeId;

  public KernelBranches(Node.Directory root, long deltaSize) throws IOException {
    ImageLayout layout = ImageLayout.plan(root, ImageSpec.branching(deltaSize));
    image = new byte[Math.toIntExact(layout.imageSize())];
    ImageWriter.write(layout, MemorySegment.ofArray(image), ImageWriter.Progress.NONE);
    sb = layout.superblock();
    alloc = sb.deltaAllocOffset();
    nextInodeId = sb.nextInodeId();
  }

  /** Raises the superblock's next_inode_id past {@code ino}, as the kernel does for every number it hands out. */
  public KernelBranches handedOut(long ino) {
    nextInodeId = Math.max(nextInodeId, ino + 1);
    return this;
  }

  /** A rw mount: a new main in the first free slot; returns its slot. */
  public int mount() {
    nextBranchId = 1;
    return add("main", 0);
  }

  /** A child of the branch in {@code parentSlot}; returns its slot. */
  public int child(String name, int parentSlot) {
    return add(name, records.get(parentSlot).branchId());
  }

  public DeltaLogBuilder log(int slot) { return logs.get(slot); }

  public void commit(int slot, int parentSlot) {
    logs.get(parentSlot).raw(logs.get(slot).toByteArray());
    end(slot, Format.BRANCH_COMMITTED);
  }

  public void abort(int slot) { end(slot, Format.BRANCH_ABORTED); }

  private int add(String name, long parentId) {
    int slot = records.size();
    records.add(new BranchRecord(slot, sb.branchTableOffset() + (long) slot * Format.BRANCH_RECORD_SIZE,
        nextBranchId++, parentId, alloc, 0, Format.KERNEL_LOG_CAPACITY, Format.BRANCH_ACTIVE, 1, 0,
        BranchRecord.nameField(name)));
    logs.add(new DeltaLogBuilder());
    alloc += Format.KERNEL_LOG_CAPACITY;
    return slot;
  }

  private void end(int slot, int state) {
    BranchRecord r = records.get(slot);
    records.set(slot, new BranchRecord(r.slot(), r.at(), r.branchId(), r.parentId(), r.logOffset(), 0,
        r.logCapacity(), state, r.refcount(), r.nextLocalIno(), new byte[Format.BRANCH_NAME_FIELD]));
  }

  /** The image bytes with the branch table, logs and superblock as they stand. */
  public byte[] bytes() {
    byte[] out = image.clone();
    MemorySegment s = MemorySegment.ofArray(out);
    int active = 0;
    for (int i = 0; i < records.size(); i++) {
      BranchRecord r = records.get(i);
      byte[] log = logs.get(i).toByteArray();
      if (log.length > r.logCapacity()) {
        throw new IllegalStateException("log of slot " + i + " is over its 64 KiB");
      }
      MemorySegment.copy(MemorySegment.ofArray(log), 0, s, r.logOffset(), log.length);
      BranchRecord withSize = new BranchRecord(r.slot(), r.at(), r.branchId(), r.parentId(), r.logOffset(),
          log.length, r.logCapacity(), r.state(), r.refcount(), r.nextLocalIno(), r.nameField());
      MemorySegment.copy(MemorySegment.ofArray(withSize.encode()), 0, s, r.at(), Format.BRANCH_RECORD_SIZE);
      active += r.state() == Format.BRANCH_ACTIVE ? 1 : 0;
    }
    Superblock now = sb.withCounters(active, nextBranchId, nextInodeId, alloc);
    MemorySegment.copy(MemorySegment.ofArray(now.encode()), 0, s, 0, Format.SUPERBLOCK_SIZE);
    return out;
  }
}
