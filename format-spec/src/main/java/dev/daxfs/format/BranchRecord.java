package dev.daxfs.format;

import static dev.daxfs.format.Structs.BRANCH_RECORD;

import java.lang.foreign.MemorySegment;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * One 128-byte branch table record. {@code slot} is its index in the table, {@code at} its
 * absolute offset; {@code nameField} is the raw 32-byte name field.
 */
public record BranchRecord(int slot, long at, long branchId, long parentId, long logOffset, long logSize,
    long logCapacity, int state, int refcount, long nextLocalIno, byte[] nameField) {

  // Field offsets, resolved once: a layout path lookup per access would dominate reading.
  private static final long BRANCH_RECORD_BRANCH_ID = Structs.offset(BRANCH_RECORD, "branch_id");
  private static final long BRANCH_RECORD_PARENT_ID = Structs.offset(BRANCH_RECORD, "parent_id");
  private static final long BRANCH_RECORD_DELTA_LOG_OFFSET = Structs.offset(BRANCH_RECORD, "delta_log_offset");
  private static final long BRANCH_RECORD_DELTA_LOG_SIZE = Structs.offset(BRANCH_RECORD, "delta_log_size");
  private static final long BRANCH_RECORD_DELTA_LOG_CAPACITY = Structs.offset(BRANCH_RECORD, "delta_log_capacity");
  private static final long BRANCH_RECORD_STATE = Structs.offset(BRANCH_RECORD, "state");
  private static final long BRANCH_RECORD_REFCOUNT = Structs.offset(BRANCH_RECORD, "refcount");
  private static final long BRANCH_RECORD_NEXT_LOCAL_INO = Structs.offset(BRANCH_RECORD, "next_local_ino");
  private static final long BRANCH_RECORD_NAME = Structs.offset(BRANCH_RECORD, "name");


  static final String NAME = "branch record";

  static BranchRecord read(ImageBytes b, long at, int slot) {
    b.require(at, BRANCH_RECORD.byteSize(), NAME);
    return new BranchRecord(slot, at,
        b.u64(at + BRANCH_RECORD_BRANCH_ID, NAME),
        b.u64(at + BRANCH_RECORD_PARENT_ID, NAME),
        b.u64(at + BRANCH_RECORD_DELTA_LOG_OFFSET, NAME),
        b.u64(at + BRANCH_RECORD_DELTA_LOG_SIZE, NAME),
        b.u64(at + BRANCH_RECORD_DELTA_LOG_CAPACITY, NAME),
        b.u32(at + BRANCH_RECORD_STATE, NAME),
        b.u32(at + BRANCH_RECORD_REFCOUNT, NAME),
        b.u64(at + BRANCH_RECORD_NEXT_LOCAL_INO, NAME),
        b.bytes(at + BRANCH_RECORD_NAME, Format.BRANCH_NAME_FIELD, NAME));
  }

  /** The name up to its first NUL (all 32 bytes if there is none: a fsck error), as {@link Names#text}. */
  public String name() {
    return Names.text(nameBytes());
  }

  /** The name's bytes up to its first NUL. */
  public byte[] nameBytes() {
    int n = 0;
    while (n < nameField.length && nameField[n] != 0) {
      n++;
    }
    return java.util.Arrays.copyOf(nameField, n);
  }

  public boolean nameTerminated() {
    for (byte x : nameField) {
      if (x == 0) {
        return true;
      }
    }
    return false;
  }

  public String stateName() { return Format.branchStateName(state); }

  /** The 128 bytes of this record. */
  public byte[] encode() {
    byte[] out = new byte[Format.BRANCH_RECORD_SIZE];
    MemorySegment s = MemorySegment.ofArray(out);
    Encoding.putU64(s, BRANCH_RECORD_BRANCH_ID, branchId);
    Encoding.putU64(s, BRANCH_RECORD_PARENT_ID, parentId);
    Encoding.putU64(s, BRANCH_RECORD_DELTA_LOG_OFFSET, logOffset);
    Encoding.putU64(s, BRANCH_RECORD_DELTA_LOG_SIZE, logSize);
    Encoding.putU64(s, BRANCH_RECORD_DELTA_LOG_CAPACITY, logCapacity);
    Encoding.putU32(s, BRANCH_RECORD_STATE, state);
    Encoding.putU32(s, BRANCH_RECORD_REFCOUNT, refcount);
    Encoding.putU64(s, BRANCH_RECORD_NEXT_LOCAL_INO, nextLocalIno);
    Encoding.putBytes(s, BRANCH_RECORD_NAME, Arrays.copyOf(nameField, Format.BRANCH_NAME_FIELD));
    return out;
  }

  /** A name field from a string of at most 31 UTF-8 bytes. */
  public static byte[] nameField(String name) {
    byte[] n = name.getBytes(StandardCharsets.UTF_8);
    if (n.length > Format.BRANCH_NAME_MAX) {
      throw new IllegalArgumentException("branch name over " + Format.BRANCH_NAME_MAX + " bytes: " + name);
    }
    return Arrays.copyOf(n, Format.BRANCH_NAME_FIELD);
  }

  @Override public boolean equals(Object o) {
    return o instanceof BranchRecord r && r.slot == slot && r.at == at && r.branchId == branchId
        && r.parentId == parentId && r.logOffset == logOffset && r.logSize == logSize
        && r.logCapacity == logCapacity && r.state == state && r.refcount == refcount
        && r.nextLocalIno == nextLocalIno && Arrays.equals(r.nameField, nameField);
  }

  @Override public int hashCode() { return Long.hashCode(at) * 31 + Long.hashCode(branchId); }

  @Override public String toString() {
    return "BranchRecord[slot=" + slot + ", id=" + branchId + ", parent=" + parentId + ", name=" + name()
        + ", state=" + stateName() + ", log=" + logOffset + "+" + logSize + "/" + logCapacity + "]";
  }
}
