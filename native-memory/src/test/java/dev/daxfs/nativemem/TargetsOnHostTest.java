package dev.daxfs.nativemem;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What each target says on a kernel without heaps, devdax or daxfs (the VM test covers the rest). */
class TargetsOnHostTest {
  @TempDir Path dir;

  @Test void missingHeapIsOneClearLine() {
    SystemCallException e = assertThrows(SystemCallException.class,
        () -> DmaHeap.allocate(Path.of("/dev/dma_heap/no-such-heap"), 1 << 20));
    assertEquals(Errno.ENOENT, e.errno());
    assertEquals("open /dev/dma_heap/no-such-heap: No such file or directory (no such DMA heap; the kernel needs"
        + " CONFIG_DMABUF_HEAPS_SYSTEM, and the heaps are listed in /dev/dma_heap)", e.getMessage());
  }

  @Test void zeroSizedBufferIsRefusedBeforeAnyCall() {
    assertThrows(IllegalArgumentException.class, () -> DmaHeap.allocate(Path.of("/dev/dma_heap/system"), 0));
  }

  @Test void availableMemoryIsReadFromTheKernel() throws Exception {
    long available = DmaHeap.availableMemory();
    assertTrue(available > 0 && available <= Runtime.getRuntime().maxMemory() * 1024, "MemAvailable " + available);
  }

  @Test void missingDevdaxDevice() {
    SystemCallException e = assertThrows(SystemCallException.class,
        () -> DevDax.map(Path.of("/dev/dax-none9.9"), false));
    assertEquals("open /dev/dax-none9.9: No such file or directory (no such device-dax device; see"
        + " /sys/bus/dax/devices)", e.getMessage());
  }

  @Test void characterDeviceThatIsNotDevdax() {
    var e = assertThrows(java.io.IOException.class, () -> DevDax.map(Path.of("/dev/null"), false));
    assertEquals("/dev/null: not a device-dax device (no /sys/bus/dax/devices/null/size)", e.getMessage());
  }

  @Test void regularFileIsNotDevdax() throws Exception {
    Path file = Files.write(dir.resolve("dax0.0"), new byte[4096]);
    var e = assertThrows(java.io.IOException.class, () -> DevDax.map(file, false));
    assertEquals(file + ": not a device-dax character device", e.getMessage());
  }

  @Test void physicalAddressesAreCheckedBeforeOpeningDevMem() {
    assertEquals("physical address 0x100000001 is not page-aligned", assertThrows(IllegalArgumentException.class,
        () -> PhysicalMemory.map(0x100000001L, 4096, false)).getMessage());
    assertEquals("physical address 0x9f000 is below 1 MiB, where /dev/mem silently drops writes",
        assertThrows(IllegalArgumentException.class, () -> PhysicalMemory.map(0x9f000, 4096, true)).getMessage());
  }

  @Test void descriptorOfAnotherKindIsNotTakenForADmaBuf() throws Exception {
    long pid = ProcessHandle.current().pid();
    Path file = Files.write(dir.resolve("image"), new byte[4096]);
    try (Fd open = Fd.open(file.toString(), LibC.O_RDONLY)) {
      var e = assertThrows(java.io.IOException.class, () -> DmaBuf.ofProcess(pid, open.fd()));
      assertEquals("process " + pid + " fd " + open.fd() + ": not a dma-buf (see ls -l /proc/" + pid + "/fd)",
          e.getMessage());
    }
  }

  @Test void missingDescriptorAndMissingProcessAreNamed() throws Exception {
    long pid = ProcessHandle.current().pid();
    SystemCallException noFd = assertThrows(SystemCallException.class, () -> DmaBuf.ofProcess(pid, 99999));
    assertEquals("pidfd_getfd process " + pid + " fd 99999: Bad file descriptor (the process has no descriptor 99999)",
        noFd.getMessage());
    // Far above the kernel's limit for pid_max (2^22): no process can have it.
    long beyond = Integer.MAX_VALUE;
    SystemCallException noProcess = assertThrows(SystemCallException.class, () -> DmaBuf.ofProcess(beyond, 3));
    assertEquals("pidfd_open process " + beyond + " fd 3: No such process", noProcess.getMessage());
  }

  @Test void mountWithoutDaxfsModuleSaysSo() throws Exception {
    Assumptions.assumeFalse(Files.readString(Path.of("/proc/filesystems")).contains("daxfs"), () -> {
      System.out.println("SKIPPED: this kernel has daxfs; the ENODEV path cannot be shown here");
      return "daxfs present";
    });
    Path file = Files.write(dir.resolve("not-a-dmabuf"), new byte[4096]);
    try (DmaBuf notABuffer = new DmaBuf(Fd.open(file.toString(), LibC.O_RDWR), 4096)) {
      SystemCallException e = assertThrows(SystemCallException.class,
          () -> DaxfsMount.mount(notABuffer, dir, false, false));
      Assumptions.assumeFalse(e.errno() == Errno.EPERM, () -> {
        System.out.println("SKIPPED: no CAP_SYS_ADMIN, fsopen gives EPERM before looking for daxfs");
        return "no CAP_SYS_ADMIN";
      });
      assertEquals("fsopen daxfs: No such device (the kernel has no daxfs module: modprobe daxfs)", e.getMessage());
    }
  }
}
