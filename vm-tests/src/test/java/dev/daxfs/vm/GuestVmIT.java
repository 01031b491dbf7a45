package dev.daxfs.vm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Boots Debian's 6.12 kernel under QEMU with a DMA-BUF system heap, a soft-reserved range that
 * dax_hmem exposes as /dev/dax0.0 and a reserved range for /dev/mem, and runs the tools there
 * (src/test/vm/guest-checks.sh). One boot serves every test; each asserts on one step's output.
 */
class GuestVmIT {
  private static GuestConsole console;

  @BeforeAll static void boot() throws IOException, InterruptedException {
    Path module = Path.of("").toAbsolutePath();
    Path work = Files.createDirectories(module.resolve("target/vm"));
    Path log = work.resolve("console.log");
    Process qemu = new ProcessBuilder("bash", module.resolve("src/test/vm/boot-guest.sh").toString(),
        work.toString(), System.getProperty("java.home"), module.getParent().toString())
        .redirectErrorStream(true).redirectOutput(log.toFile()).start();
    if (!qemu.waitFor(8, TimeUnit.MINUTES)) {
      qemu.destroyForcibly().waitFor();
      throw new AssertionError("the guest did not finish within 8 minutes; console in " + log);
    }
    String text = Files.readString(log, StandardCharsets.UTF_8);
    if (qemu.exitValue() == 77) {
      String reason = text.lines().filter(l -> l.startsWith("SKIPPED:")).findFirst().orElse("SKIPPED: unknown");
      System.out.println("\n*** VM TEST " + reason + " ***\n");
      Assumptions.abort(reason);
    }
    console = GuestConsole.parse(text);
    assertTrue(text.contains("GUEST-END 0"), "the guest checks did not run to the end; console:\n" + text);
  }

  @Test void guestRunsDebians612KernelWithTheSystemHeap() {
    assertTrue(console.step("kernel").output().startsWith("6.12."), console.step("kernel").output());
    assertEquals("system", console.step("heaps").output());
  }

  @Test void imageIsWrittenIntoADmaBufAndValidatedInPlace() {
    GuestConsole.Step write = succeeded("heap-write");
    assertTrue(write.output().contains("image 8.0 MiB, static"), write.output());
    assertTrue(write.output().contains("wrote and validated 8.0 MiB in a dma-buf from /dev/dma_heap/system;"
        + " it is freed when mkdaxfs exits: add -m DIR to mount it"), write.output());
    // With -w and -s the delta region takes what the tree leaves of the 16 MiB.
    assertTrue(succeeded("heap-branching").output().contains("image 16.0 MiB, branching"));
  }

  @Test void mountingWithoutTheDaxfsModuleSaysSo() {
    assertEquals("mkdaxfs: fsopen daxfs: No such device (the kernel has no daxfs module: modprobe daxfs)",
        failedInOneLine("heap-mount", 3));
  }

  @Test void heapErrorsAreOneLineEach() {
    assertTrue(failedInOneLine("heap-missing", 3).startsWith(
        "mkdaxfs: open /dev/dma_heap/nosuch: No such file or directory (no such DMA heap;"));
    assertTrue(failedInOneLine("heap-too-small", 2).endsWith("but the fixed size is 65536"));
    // Refused before the ioctl: the heap would not fail, the OOM killer would end the guest's JVM.
    assertTrue(failedInOneLine("heap-beyond-memory", 3).startsWith(
        "mkdaxfs: /dev/dma_heap/system: 68719476736 bytes requested but only "));
  }

  @Test void unboundDevdaxDeviceNamesTheFix() {
    assertEquals("mkdaxfs: open /dev/dax0.0: No such device or address (the device is bound to no driver:"
        + " echo dax0.0 > /sys/bus/dax/drivers/device_dax/new_id)", failedInOneLine("devdax-unbound", 3));
  }

  @Test void imageWrittenToDevdaxIsReadBackByFsck() {
    // memmap=256M%...: 256 MiB, a multiple of the 2 MiB alignment, so all of it is usable.
    assertEquals("268435456\n2097152", succeeded("bind-dax").output());
    GuestConsole.Step write = succeeded("devdax-write");
    assertTrue(write.output().contains("image 64.3 MiB, branching, delta 64.0 MiB"), write.output());
    assertTrue(write.output().endsWith("wrote and validated the image at offset 0 of /dev/dax0.0 (256.0 MiB usable)"));
    // A new process maps the device again: what it checks is what the device holds.
    assertEquals("/dev/dax0.0: valid (0 errors, 0 warnings)", succeeded("devdax-fsck").output());
    assertEquals("motd", succeeded("devdax-inspect").output());
  }

  @Test void imageWrittenThroughDevMemIsReadBackAndItsCorruptionFound() {
    assertTrue(succeeded("phys-write").output().endsWith(
        "mount it with mount -t daxfs -o phys=0x120000000,size=0x1000000 none DIR"));
    assertEquals("0x120000000: valid (0 errors, 0 warnings)", succeeded("phys-fsck").output());
    assertEquals("hello from the guest", succeeded("phys-inspect").output());
    succeeded("phys-corrupt");
    // "XXXX" written over the base superblock's magic (image offset 4096) through /dev/mem.
    GuestConsole.Step corrupt = console.step("phys-fsck-corrupt");
    assertEquals(4, corrupt.exit(), corrupt.output());
    assertTrue(corrupt.output().contains("base superblock at offset 4096: expected magic 0x64646179 version 3,"
        + " found magic 0x58585858"), corrupt.output());
  }

  @Test void ramIsRefusedByStrictDevmemWithTheReason() {
    String line = failedInOneLine("phys-ram", 3);
    assertTrue(line.startsWith("mkdaxfs: mmap /dev/mem range 0x100000000-0x101000000: Operation not permitted"
        + " (STRICT_DEVMEM"), line);
  }

  private static GuestConsole.Step succeeded(String name) {
    GuestConsole.Step step = console.step(name);
    assertEquals(0, step.exit(), name + ": " + step.output());
    return step;
  }

  /** The step's only output line, after checking it failed with {@code exit}. */
  private static String failedInOneLine(String name, int exit) {
    GuestConsole.Step step = console.step(name);
    assertEquals(exit, step.exit(), name + ": " + step.output());
    assertEquals(1, step.output().lines().count(), name + " prints one line: " + step.output());
    return step.output();
  }
}
