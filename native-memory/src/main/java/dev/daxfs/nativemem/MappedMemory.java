package dev.daxfs.nativemem;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;

/**
 * A shared mapping of a device or buffer. Closing unmaps it and invalidates the segment, so no
 * access can outlive the mapping.
 */
public final class MappedMemory implements AutoCloseable {
  private final Arena arena;
  private final MemorySegment segment;
  private final String target;
  private final AutoCloseable owned;

  private MappedMemory(Arena arena, MemorySegment segment, String target, AutoCloseable owned) {
    this.arena = arena;
    this.segment = segment;
    this.target = target;
    this.owned = owned;
  }

  /** Maps {@code length} bytes of {@code fd} from {@code offset} with MAP_SHARED. */
  static MappedMemory map(Fd fd, String target, long offset, long length, boolean writable)
      throws SystemCallException {
    int prot = writable ? LibC.PROT_READ | LibC.PROT_WRITE : LibC.PROT_READ;
    MemorySegment address = LibC.mmap(length, prot, LibC.MAP_SHARED, fd.fd(), offset, target);
    Arena arena = Arena.ofShared();
    MemorySegment segment = address.reinterpret(length, arena, unmapped -> LibC.munmap(unmapped, length));
    return new MappedMemory(arena, writable ? segment : segment.asReadOnly(), target, null);
  }

  /** No memory at all: what an empty file maps to (mmap refuses a length of 0). */
  static MappedMemory empty(String target) {
    Arena arena = Arena.ofShared();
    return new MappedMemory(arena, MemorySegment.NULL.reinterpret(0).asReadOnly(), target, null);
  }

  /** This mapping, which from now on also closes {@code resource} when it is closed. */
  MappedMemory owning(AutoCloseable resource) {
    return new MappedMemory(arena, segment, target, resource);
  }

  public MemorySegment segment() { return segment; }

  /**
   * Drops this process's pages of {@code piece} (a page-aligned slice of this mapping) once it has
   * been read: MADV_DONTNEED on a shared mapping keeps the data (it is the file's, or the
   * device's) and only gives back what counted as resident. Memory that refuses the advice (a
   * dma-buf) keeps its pages; that is only a cost, so the refusal is not reported.
   */
  public void release(MemorySegment piece) {
    release(piece, target);
  }

  /** As {@link #release(MemorySegment)}, for a slice of any shared or read-only mapping of this process. */
  public static void release(MemorySegment piece, String target) {
    try {
      LibC.madvise(piece, LibC.MADV_DONTNEED, target);
    } catch (SystemCallException e) {
      // the pages stay resident: see above
    }
  }

  /**
   * Schedules written pages for write-back (MS_ASYNC). Device-dax has no fsync (MS_SYNC gives
   * EINVAL) and its stores already land in the device's memory, so asynchronous is what exists.
   */
  public void flush() throws SystemCallException {
    LibC.msync(segment, LibC.MS_ASYNC, target);
  }

  /**
   * Unmaps, then closes what this mapping owns, if anything. Only read-only views own something
   * (a dma-buf taken from another process), so a failure there loses no data and is not reported.
   */
  @Override public void close() {
    arena.close();
    if (owned != null) {
      try {
        owned.close();
      } catch (Exception e) {
        // Nothing to undo; see above.
      }
    }
  }
}
