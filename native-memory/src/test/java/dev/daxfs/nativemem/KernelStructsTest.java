package dev.daxfs.nativemem;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.lang.foreign.MemoryLayout.PathElement;
import org.junit.jupiter.api.Test;

/** The layouts against the sizes the kernel encodes in its ioctl numbers and headers. */
class KernelStructsTest {

  @Test void dmaHeapAllocationDataIsTheSizeTheIoctlEncodes() {
    assertEquals(24, KernelStructs.DMA_HEAP_ALLOCATION_DATA.byteSize());
    assertEquals(KernelStructs.ioctlArgumentSize(KernelStructs.DMA_HEAP_IOCTL_ALLOC),
        KernelStructs.DMA_HEAP_ALLOCATION_DATA.byteSize());
    assertEquals(0, offset(KernelStructs.DMA_HEAP_ALLOCATION_DATA, "len"));
    assertEquals(8, offset(KernelStructs.DMA_HEAP_ALLOCATION_DATA, "fd"));
    assertEquals(12, offset(KernelStructs.DMA_HEAP_ALLOCATION_DATA, "fd_flags"));
    assertEquals(16, offset(KernelStructs.DMA_HEAP_ALLOCATION_DATA, "heap_flags"));
    // _IOWR('H', 0, ...): direction read|write (3 << 30), type 'H', number 0.
    assertEquals(3L << 30 | 24 << 16 | 'H' << 8, KernelStructs.DMA_HEAP_IOCTL_ALLOC);
  }

  @Test void dmaBufSyncIsTheSizeTheIoctlEncodes() {
    assertEquals(8, KernelStructs.DMA_BUF_SYNC.byteSize());
    assertEquals(KernelStructs.ioctlArgumentSize(KernelStructs.DMA_BUF_IOCTL_SYNC), KernelStructs.DMA_BUF_SYNC.byteSize());
    // _IOW('b', 0, ...): direction write (1 << 30).
    assertEquals(1L << 30 | 8 << 16 | 'b' << 8, KernelStructs.DMA_BUF_IOCTL_SYNC);
  }

  @Test void statMatchesEachArchitecturesKernelStruct() {
    // arch/x86/include/uapi/asm/stat.h (64-bit) and include/uapi/asm-generic/stat.h.
    assertEquals(144, Arch.X86_64.stat().byteSize());
    assertEquals(128, Arch.AARCH64.stat().byteSize());
    assertEquals(48, offset(Arch.X86_64.stat(), "st_size"));
    assertEquals(48, offset(Arch.AARCH64.stat(), "st_size"));
    assertEquals(24, offset(Arch.X86_64.stat(), "st_mode"));
    assertEquals(16, offset(Arch.AARCH64.stat(), "st_mode"));
    assertEquals(88, offset(Arch.X86_64.stat(), "st_mtime"));
    assertEquals(88, offset(Arch.AARCH64.stat(), "st_mtime"));
  }

  @Test void architectureNames() {
    assertEquals(Arch.X86_64, Arch.of("amd64"));
    assertEquals(Arch.AARCH64, Arch.of("aarch64"));
    UnsupportedArchitectureException e = assertThrows(UnsupportedArchitectureException.class, () -> Arch.of("riscv64"));
    assertEquals("this machine's architecture riscv64 is not supported (x86_64 and aarch64 are)", e.getMessage());
  }

  private static long offset(java.lang.foreign.StructLayout layout, String field) {
    return layout.byteOffset(PathElement.groupElement(field));
  }
}
