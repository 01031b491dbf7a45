package dev.daxfs.fsck;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.PrintWriter;
import java.io.StringWriter;
import org.junit.jupiter.api.Test;

/** --devdax, --phys and --dmabuf on a host without those devices (vm-tests checks real ones). */
class MemorySourceCliTest {

  private static String[] result(String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    int code = Fsck.run(new PrintWriter(out, true), new PrintWriter(err, true), args);
    return new String[] {Integer.toString(code), out.toString().strip(), err.toString().strip()};
  }

  @Test void missingDevdaxDeviceIsAnOperationalError() {
    String[] r = result("--devdax", "/dev/dax-none9.9");
    assertEquals("8", r[0]);
    assertEquals("daxfs-fsck: open /dev/dax-none9.9: No such file or directory (no such device-dax device; see"
        + " /sys/bus/dax/devices)", r[2]);
  }

  @Test void characterDeviceThatIsNotDevdax() {
    assertEquals("daxfs-fsck: /dev/null: not a device-dax device (no /sys/bus/dax/devices/null/size)",
        result("--devdax", "/dev/null")[2]);
  }

  @Test void oneSourceOnlyAndPhysNeedsSize() {
    String usage = "daxfs-fsck: give one of IMAGE, --devdax DEVICE, --phys ADDR --size SIZE and --dmabuf PID:FD";
    assertEquals(usage, result("--phys", "0x120000000")[2]);
    assertEquals("16", result("x.img", "--devdax", "/dev/dax0.0")[0]);
    assertEquals(usage, result()[2]);
    assertEquals(usage, result("--dmabuf", "1:3", "--devdax", "/dev/dax0.0")[2]);
  }

  @Test void malformedDmaBufIsAUsageError() {
    for (String bad : new String[] {"12", "12:", ":3", "0:3", "12:-1", "x:y"}) {
      String[] r = result("--dmabuf", bad);
      assertEquals("16", r[0], bad);
      assertEquals("daxfs-fsck: --dmabuf takes PID:FD (a process id and one of its descriptors), not '" + bad + "'",
          r[2]);
    }
  }

  @Test void descriptorThatIsNotADmaBufIsAnOperationalError() {
    // This process's descriptor 0 is its stdin (a pipe or a terminal), never a dma-buf.
    long pid = ProcessHandle.current().pid();
    String[] r = result("--dmabuf", pid + ":0");
    assertEquals("8", r[0], r[2]);
    assertEquals("daxfs-fsck: process " + pid + " fd 0: not a dma-buf (see ls -l /proc/" + pid + "/fd)", r[2]);
  }

  @Test void unalignedPhysicalAddressIsAUsageError() {
    String[] r = result("--phys", "0x120000001", "--size", "1M");
    assertEquals("16", r[0]);
    assertEquals("daxfs-fsck: physical address 0x120000001 is not page-aligned", r[2]);
  }
}
