package dev.daxfs.nativemem;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

/** A dma-buf from a DMA heap. The memory lives while this fd or a mount holding it is open. */
public final class DmaBuf implements AutoCloseable {
  /** f_type of the kernel's dma-buf pseudo filesystem (DMA_BUF_MAGIC in linux/magic.h). */
  private static final long DMA_BUF_MAGIC = 0x444d4142L;

  private final Fd fd;
  private final long size;

  DmaBuf(Fd fd, long size) {
    this.fd = fd;
    this.size = size;
  }

  /**
   * The dma-buf that process {@code pid} holds as descriptor {@code fd}, taken with pidfd_open and
   * pidfd_getfd (Linux 5.6; the caller needs ptrace access to that process). The buffer lives
   * while either process holds it.
   */
  public static DmaBuf ofProcess(long pid, int fd) throws IOException {
    String target = "process " + pid + " fd " + fd;
    Fd copy;
    try (Fd process = pidfdOpen(pid, target)) {
      copy = new Fd((int) pidfdGetfd(process, fd, target), target);
    }
    try {
      if (LibC.filesystemType(copy.fd(), target) != DMA_BUF_MAGIC) {
        throw new IOException(target + ": not a dma-buf (see ls -l /proc/" + pid + "/fd)");
      }
      return new DmaBuf(copy, LibC.lseek(copy.fd(), 0, LibC.SEEK_END, copy.target()));
    } catch (IOException e) {
      copy.close();
      throw e;
    }
  }

  private static Fd pidfdOpen(long pid, String target) throws SystemCallException {
    try {
      return new Fd((int) LibC.syscall("pidfd_open", target, CConstant.SYS_PIDFD_OPEN.value(), pid, 0, 0, 0, 0), target);
    } catch (SystemCallException e) {
      throw switch (e.errno()) {
        case Errno.ENOSYS -> e.explained("taking another process's descriptor needs Linux 5.6 or later");
        default -> e;
      };
    }
  }

  private static long pidfdGetfd(Fd process, int fd, String target) throws SystemCallException {
    try {
      return LibC.syscall("pidfd_getfd", target, CConstant.SYS_PIDFD_GETFD.value(), process.fd(), fd, 0, 0, 0);
    } catch (SystemCallException e) {
      throw switch (e.errno()) {
        case Errno.EPERM -> e.explained("taking another process's descriptor needs ptrace access to it:"
            + " run as root, or as its user where kernel.yama.ptrace_scope allows");
        case Errno.EBADF -> e.explained("the process has no descriptor " + fd);
        case Errno.ESRCH -> e.explained("the process has exited");
        default -> e;
      };
    }
  }

  /** The size the heap really allocated (the request rounded up to pages). */
  public long size() { return size; }

  /** The descriptor number, for naming the buffer to another process (daxfs-fsck --dmabuf PID:FD). */
  public int fd() { return fd.fd(); }

  /**
   * Maps the whole buffer read-only with CPU read access begun. The view owns this buffer:
   * closing it ends the access, unmaps, and closes the descriptor.
   */
  public MappedMemory readOnlyView() throws SystemCallException {
    MappedMemory memory = MappedMemory.map(fd, fd.target(), 0, size, false);
    try {
      CpuAccess access = beginCpuAccess(false);
      return memory.owning(() -> {
        try (DmaBuf buffer = this) {
          access.close();
        }
      });
    } catch (SystemCallException e) {
      memory.close();
      throw e;
    }
  }

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
