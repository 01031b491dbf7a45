package dev.daxfs.mkfs;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The memory targets' option rules and their errors on a host without heaps or devdax devices
 * (vm-tests runs them where those exist).
 */
class MemoryTargetCliTest {
  @TempDir Path dir;

  private String[] result(String... args) throws Exception {
    Files.createDirectories(dir.resolve("tree"));
    Files.writeString(dir.resolve("tree/hello"), "hello\n");
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    String[] full = new String[args.length + 2];
    full[0] = "-d";
    full[1] = dir.resolve("tree").toString();
    System.arraycopy(args, 0, full, 2, args.length);
    int code = Mkdaxfs.run(new PrintWriter(out, true), new PrintWriter(err, true), full);
    return new String[] {Integer.toString(code), out.toString().strip(), err.toString().strip()};
  }

  @Test void missingHeapIsOneLineAndExitThree() throws Exception {
    String[] r = result("-H", "/dev/dma_heap/no-such-heap", "-s", "1M");
    assertEquals("3", r[0]);
    assertEquals("", r[1]);
    assertEquals("mkdaxfs: open /dev/dma_heap/no-such-heap: No such file or directory (no such DMA heap; the kernel"
        + " needs CONFIG_DMABUF_HEAPS_SYSTEM, and the heaps are listed in /dev/dma_heap)", r[2]);
  }

  @Test void missingDevdaxDevice() throws Exception {
    String[] r = result("--devdax", "/dev/dax-none9.9");
    assertEquals("3", r[0]);
    assertEquals("mkdaxfs: open /dev/dax-none9.9: No such file or directory (no such device-dax device; see"
        + " /sys/bus/dax/devices)", r[2]);
  }

  @Test void physicalAddressBelowOneMebibyteIsAUsageError() throws Exception {
    String[] r = result("-p", "0x9f000", "-s", "1M");
    assertEquals("1", r[0]);
    assertEquals("mkdaxfs: physical address 0x9f000 is below 1 MiB, where /dev/mem silently drops writes", r[2]);
  }

  @Test void optionRules() throws Exception {
    assertEquals("mkdaxfs: give one of -o/--output, -H/--heap, -p/--phys and --devdax",
        result("-o", dir.resolve("x").toString(), "--devdax", "/dev/dax0.0")[2].lines().findFirst().orElseThrow());
    assertEquals("mkdaxfs: -m/--mountpoint mounts a -H/--heap image; give -H",
        result("-o", dir.resolve("x").toString(), "-m", "/mnt")[2].lines().findFirst().orElseThrow());
    assertEquals("mkdaxfs: -V/--validate asks the kernel to validate at mount; give -m",
        result("-H", "/dev/dma_heap/system", "-s", "1M", "-V")[2].lines().findFirst().orElseThrow());
    assertEquals("mkdaxfs: -s/--size is required with -p/--phys or -H/--heap",
        result("-H", "/dev/dma_heap/system")[2].lines().findFirst().orElseThrow());
  }

  @Test void sizeTooSmallForTheTreeIsRefusedBeforeAnyAllocation() throws Exception {
    // The heap does not exist here: the size is refused first, so nothing is opened.
    String[] r = result("-H", "/dev/dma_heap/no-such-heap", "-s", "8K");
    assertEquals("2", r[0]);
    assertEquals(1, r[2].lines().count(), r[2]);
    assertEquals(true, r[2].endsWith("but the fixed size is 8192"), r[2]);
  }
}
