package dev.daxfs.nativemem;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemoryLayout.PathElement;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.file.Files;
import java.nio.file.Path;

/** Allocation from a DMA-BUF heap such as /dev/dma_heap/system. */
public final class DmaHeap {
  private static final long LEN = offset("len");
  private static final long FD = offset("fd");
  private static final long FD_FLAGS = offset("fd_flags");

  private DmaHeap() {}

  /**
   * Allocates {@code size} bytes. The size is checked against the memory available first: the
   * heap does not fail an oversized request, the OOM killer ends the caller instead.
   */
  public static DmaBuf allocate(Path heap, long size) throws IOException {
    if (size <= 0) {
      throw new IllegalArgumentException("a dma-buf needs a size above 0, got " + size);
    }
    String path = heap.toString();
    try (Fd heapFd = openHeap(path); Arena arena = Arena.ofConfined()) {
      long available = availableMemory();
      if (size > available) {
        throw new IOException(path + ": " + size + " bytes requested but only " + available
            + " bytes of memory are available");
      }
      MemorySegment request = arena.allocate(KernelStructs.DMA_HEAP_ALLOCATION_DATA);
      request.set(ValueLayout.JAVA_LONG, LEN, size);
      // Only the access mode and O_CLOEXEC are accepted here; heap_flags must stay 0.
      request.set(ValueLayout.JAVA_INT, FD_FLAGS, LibC.O_RDWR | LibC.O_CLOEXEC);
      LibC.ioctl(heapFd.fd(), KernelStructs.DMA_HEAP_IOCTL_ALLOC, request, "DMA_HEAP_IOCTL_ALLOC", path);
      Fd buffer = new Fd(request.get(ValueLayout.JAVA_INT, FD), "dma-buf from " + path);
      try {
        return new DmaBuf(buffer, LibC.lseek(buffer.fd(), 0, LibC.SEEK_END, buffer.target()));
      } catch (SystemCallException e) {
        buffer.close();
        throw e;
      }
    }
  }

  private static Fd openHeap(String path) throws SystemCallException {
    try {
      return Fd.open(path, LibC.O_RDWR | LibC.O_CLOEXEC);
    } catch (SystemCallException e) {
      throw switch (e.errno()) {
        case Errno.ENOENT -> e.explained("no such DMA heap; the kernel needs CONFIG_DMABUF_HEAPS_SYSTEM,"
            + " and the heaps are listed in /dev/dma_heap");
        case Errno.EACCES, Errno.EPERM -> e.explained("allocating from a DMA heap needs write access to it");
        default -> e;
      };
    }
  }

  /** MemAvailable from /proc/meminfo, in bytes. */
  static long availableMemory() throws IOException {
    for (String line : Files.readAllLines(Path.of("/proc/meminfo"))) {
      if (line.startsWith("MemAvailable:")) {
        String[] parts = line.trim().split("\\s+");
        return Long.parseLong(parts[1]) * 1024;
      }
    }
    throw new IOException("/proc/meminfo has no MemAvailable line");
  }

  private static long offset(String field) {
    return KernelStructs.DMA_HEAP_ALLOCATION_DATA.byteOffset(PathElement.groupElement(field));
  }
}
