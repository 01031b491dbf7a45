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

  private MappedMemory(Arena arena, MemorySegment segment, String target) {
    this.arena = arena;
    this.segment = segment;
    this.target = target;
  }

  /** Maps {@code length} bytes of {@code fd} from {@code offset} with MAP_SHARED. */
  static MappedMemory map(Fd fd, String target, long offset, long length, boolean writable)
      throws SystemCallException {
    int prot = writable ? LibC.PROT_READ | LibC.PROT_WRITE : LibC.PROT_READ;
    MemorySegment address = LibC.mmap(length, prot, LibC.MAP_SHARED, fd.fd(), offset, target);
    Arena arena = Arena.ofShared();
    MemorySegment segment = address.reinterpret(length, arena, unmapped -> LibC.munmap(unmapped, length));
    return new MappedMemory(arena, writable ? segment : segment.asReadOnly(), target);
  }

  public MemorySegment segment() { return segment; }

  /**
   * Schedules written pages for write-back (MS_ASYNC). Device-dax has no fsync (MS_SYNC gives
   * EINVAL) and its stores already land in the device's memory, so asynchronous is what exists.
   */
  public void flush() throws SystemCallException {
    LibC.msync(segment, LibC.MS_ASYNC, target);
  }

  @Override public void close() {
    arena.close();
  }
}
