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

  @Test void softReservedRangeBecomesADevdaxDeviceOnceBound() {
    GuestConsole.Step bind = console.step("bind-dax");
    assertEquals(0, bind.exit(), bind.output());
    // memmap=256M%...: 256 MiB, with the 2 MiB alignment dax_hmem gives it.
    assertTrue(bind.output().endsWith("268435456\n2097152"), bind.output());
  }
}
