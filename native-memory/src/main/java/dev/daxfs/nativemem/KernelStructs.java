package dev.daxfs.nativemem;

import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

import java.lang.foreign.MemoryLayout;
import java.lang.foreign.StructLayout;

/** The kernel's structures, as native-order layouts, and the ioctl requests that carry them. */
final class KernelStructs {
  /** struct dma_heap_allocation_data (linux/dma-heap.h). */
  static final StructLayout DMA_HEAP_ALLOCATION_DATA = MemoryLayout.structLayout(
      JAVA_LONG.withName("len"),
      JAVA_INT.withName("fd"),
      JAVA_INT.withName("fd_flags"),
      JAVA_LONG.withName("heap_flags"));

  /** struct dma_buf_sync (linux/dma-buf.h). */
  static final StructLayout DMA_BUF_SYNC = MemoryLayout.structLayout(JAVA_LONG.withName("flags"));

  /** _IOWR('H', 0, struct dma_heap_allocation_data). */
  static final long DMA_HEAP_IOCTL_ALLOC = CConstant.DMA_HEAP_IOCTL_ALLOC.value();
  /** _IOW('b', 0, struct dma_buf_sync). */
  static final long DMA_BUF_IOCTL_SYNC = CConstant.DMA_BUF_IOCTL_SYNC.value();

  static final long DMA_BUF_SYNC_READ = 1;
  static final long DMA_BUF_SYNC_WRITE = 2;
  static final long DMA_BUF_SYNC_START = 0;
  static final long DMA_BUF_SYNC_END = 4;

  /** struct stat as glibc's fstat fills it on this machine. */
  static final StructLayout STAT = Arch.current().stat();

  private KernelStructs() {}

  /** The argument size an ioctl request number encodes (bits 16..29), which the kernel checks. */
  static long ioctlArgumentSize(long request) {
    return (request >>> 16) & 0x3fff;
  }
}
