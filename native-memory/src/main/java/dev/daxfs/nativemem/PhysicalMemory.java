package dev.daxfs.nativemem;

/**
 * A physical address range mapped through /dev/mem. With STRICT_DEVMEM (the usual kernel
 * configuration) only reserved memory that no driver claims can be mapped, e.g. a range set
 * aside with {@code memmap=SIZE$ADDR}; RAM and ranges owned by a driver give EPERM.
 */
public final class PhysicalMemory {
  private static final long PAGE = 4096;
  /** Below 1 MiB /dev/mem reads return zeros and writes are dropped, without an error. */
  private static final long FIRST_USABLE = 1 << 20;

  private PhysicalMemory() {}

  public static MappedMemory map(long address, long size, boolean writable) throws SystemCallException {
    if (address % PAGE != 0 || address < 0) {
      throw new IllegalArgumentException(String.format("physical address 0x%x is not page-aligned", address));
    }
    if (address < FIRST_USABLE) {
      throw new IllegalArgumentException(String.format(
          "physical address 0x%x is below 1 MiB, where /dev/mem silently drops writes", address));
    }
    if (size <= 0) {
      throw new IllegalArgumentException("the physical range needs a size above 0");
    }
    String range = String.format("/dev/mem range 0x%x-0x%x", address, address + size);
    try (Fd mem = openDevMem(writable)) {
      try {
        return MappedMemory.map(mem, range, address, size, writable);
      } catch (SystemCallException e) {
        throw e.errno() == Errno.EPERM ? e.explained("STRICT_DEVMEM lets /dev/mem map only reserved memory"
            + " that no driver owns, e.g. a range set aside with memmap=SIZE$ADDR") : e;
      }
    }
  }

  private static Fd openDevMem(boolean writable) throws SystemCallException {
    try {
      return Fd.open("/dev/mem", (writable ? LibC.O_RDWR : LibC.O_RDONLY) | LibC.O_SYNC | LibC.O_CLOEXEC);
    } catch (SystemCallException e) {
      throw switch (e.errno()) {
        case Errno.ENOENT -> e.explained("the kernel has no /dev/mem (CONFIG_DEVMEM)");
        case Errno.EPERM, Errno.EACCES -> e.explained("/dev/mem needs root (CAP_SYS_RAWIO)");
        default -> e;
      };
    }
  }
}
