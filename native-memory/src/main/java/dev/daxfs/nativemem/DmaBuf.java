package dev.daxfs.nativemem;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

/** A dma-buf from a DMA heap. The memory lives while this fd or a mount holding it is open. */
public final class DmaBuf implements AutoCloseable {
  private final Fd fd;
  private final long size;

  DmaBuf(Fd fd, long size) {
    this.fd = fd;
    this.size = size;
  }

  /** The size the heap really allocated (the request rounded up to pages). */
  public long size() { return size; }

  int fd() { return fd.fd(); }

  /** Maps the whole buffer read-write; the dma-buf refuses anything but MAP_SHARED. */
  public MappedMemory map() throws SystemCallException {
    return MappedMemory.map(fd, fd.target(), 0, size, true);
  }

  /** CPU access to a mapping, bracketed by DMA_BUF_IOCTL_SYNC so caches are coherent for devices. */
  public CpuAccess beginCpuAccess(boolean write) throws SystemCallException {
    long mode = write ? KernelStructs.DMA_BUF_SYNC_READ | KernelStructs.DMA_BUF_SYNC_WRITE
        : KernelStructs.DMA_BUF_SYNC_READ;
    sync(KernelStructs.DMA_BUF_SYNC_START | mode);
    return () -> sync(KernelStructs.DMA_BUF_SYNC_END | mode);
  }

  private void sync(long flags) throws SystemCallException {
    try (Arena arena = Arena.ofConfined()) {
      MemorySegment arg = arena.allocate(KernelStructs.DMA_BUF_SYNC);
      arg.set(ValueLayout.JAVA_LONG, 0, flags);
      LibC.ioctl(fd.fd(), KernelStructs.DMA_BUF_IOCTL_SYNC, arg, "DMA_BUF_IOCTL_SYNC", fd.target());
    }
  }

  @Override public void close() throws SystemCallException {
    fd.close();
  }

  /** Ends CPU access. */
  public interface CpuAccess extends AutoCloseable {
    @Override void close() throws SystemCallException;
  }
}
