package dev.daxfs.vm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Boots Debian's 6.12 kernel under QEMU with a DMA-BUF system heap, a soft-reserved range that
 * dax_hmem exposes as /dev/dax0.0 and a reserved range for /dev/mem, and runs the tools there
 * (src/test/vm/guest-checks.sh). One boot serves every test; each asserts on one step's output.
 * With DAXFS_KO naming a DAXFS v3 module built for that kernel, the guest loads it and the real
 * kernel mounts and writes our images; without it those tests are aborted, loudly.
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

  @Test void daxfsfuseMountsDevdaxPhysAndDmaBufImagesAsInspectExtractsThem() {
    // The guest's tree: etc, etc/motd, motd (a symlink), random.bin; the holder's has no symlink.
    for (String[] source : List.of(new String[] {"devdax", "4"}, new String[] {"phys", "4"},
        new String[] {"dmabuf", "3"})) {
      succeeded("fuse-" + source[0] + "-extract");
      String out = succeeded("fuse-" + source[0]).output();
      assertTrue(out.startsWith("fuse.daxfs "), out);
      assertTrue(out.contains("\nsame as /tmp/x-" + source[0] + ": " + source[1] + " entries\n"), out);
      assertTrue(out.endsWith("\nunmounted, no server left"), out);
    }
    // The guest's own tree, where mkdaxfs took it from (the dma-buf holds the holder's tree).
    assertTrue(console.step("fuse-devdax").output().contains("\nsame as /tmp/tree: 4 entries\n"));
    assertTrue(console.step("fuse-phys").output().contains("\nsame as /tmp/tree: 4 entries\n"));
    assertTrue(console.step("fuse-dmabuf").output().contains("./etc/motd -rw-r--r-- 0:0 22\n"),
        console.step("fuse-dmabuf").output());
  }

  @Test void ramIsRefusedByStrictDevmemWithTheReason() {
    String line = failedInOneLine("phys-ram", 3);
    assertTrue(line.startsWith("mkdaxfs: mmap /dev/mem range 0x100000000-0x101000000: Operation not permitted"
        + " (STRICT_DEVMEM"), line);
  }

  // real daxfs module, dma-buf read side, permissions

  @Test void dmaBufHeldByAnotherProcessIsReadWithItsPidAndFd() {
    String args = succeeded("holder-start").output();
    assertTrue(args.matches("--dmabuf [0-9]+:[0-9]+"), args);
    String buffer = "dma-buf " + args.substring("--dmabuf ".length());
    // With the module the holder has mounted it read-write, so branch main exists (and its
    // next_local_ino of 2, the kernel's, draws a warning).
    assertTrue(succeeded("dmabuf-fsck").output().endsWith(buffer + ": valid (0 errors, "
        + (daxfsModuleLoaded() ? "1 warning)" : "0 warnings)")), console.step("dmabuf-fsck").output());
    assertEquals("hello from the holder", succeeded("dmabuf-cat").output());
  }

  @Test void dmaBufThatCannotBeTakenIsOneLineNamingProcessAndDescriptor() {
    assertEquals("daxfs-fsck: pidfd_open process 2147483647 fd 3: No such process",
        failedInOneLine("dmabuf-no-process", 8));
    assertEquals("daxfs-fsck: pidfd_getfd process 1 fd 99: Bad file descriptor (the process has no descriptor 99)",
        failedInOneLine("dmabuf-no-fd", 8));
    // The guest's init holds its console as descriptor 0.
    assertEquals("daxfs-fsck: process 1 fd 0: not a dma-buf (see ls -l /proc/1/fd)",
        failedInOneLine("dmabuf-not-a-buffer", 8));
  }

  @Test void withoutPrivilegesEveryTargetNamesPathAndErrnoAndLeavesNothing() {
    assertEquals("mkdaxfs: open /dev/dma_heap/system: Permission denied (allocating from a DMA heap needs write"
        + " access to it)", failedInOneLine("perm-heap", 3));
    assertEquals("mkdaxfs: open /dev/dax0.0: Permission denied (the device is root's; run as root)",
        failedInOneLine("perm-devdax", 3));
    assertEquals("mkdaxfs: open /dev/mem: Permission denied (/dev/mem needs root (CAP_SYS_RAWIO))",
        failedInOneLine("perm-phys", 3));
    assertTrue(failedInOneLine("perm-dmabuf", 8).matches("daxfs-fsck: pidfd_getfd process [0-9]+ fd [0-9]+:"
        + " Operation not permitted \\(taking another process's descriptor needs ptrace access to it: .*\\)"));
    assertEquals("daxfs-fsck: open /dev/dax0.0: Permission denied (the device is root's; run as root)",
        failedInOneLine("perm-devdax-fsck", 8));
    assertEquals("", succeeded("unprivileged-left").output());
  }

  @Test void realKernelMountsADmaBufImageReadWriteAndShowsTheTree() {
    requireDaxfsModule();
    assertTrue(succeeded("kmod-heap-mount").output().endsWith(
        "mounted on /tmp/mnt read-write; unmount with umount /tmp/mnt to free the buffer"));
    // cmp found both files equal; the symlink is only stat'ed (the v3 kernel's readlink of a base
    // symlink dereferences NULL).
    String read = succeeded("kmod-heap-read").output();
    assertTrue(read.contains("mnt/motd symbolic link 8 777\nmnt/random.bin regular file 300000 644\n"), read);
    assertTrue(read.endsWith("none /tmp/mnt daxfs rw,relatime,source=dmabuf,size=16777216,branch=/main,rw 0 0"), read);
    succeeded("kmod-heap-umount");
  }

  @Test void realKernelMountsAStaticImageReadOnly() {
    requireDaxfsModule();
    succeeded("kmod-static-write");
    assertEquals("""
        hello from the guest
        none /tmp/mnt daxfs ro,relatime,phys=0x120000000,size=16777216,static 0 0
        touch: cannot touch 'mnt/new': Read-only file system""", succeeded("kmod-static-mount").output());
  }

  @Test void kernelWritesInBranchMainCollideWithBaseInodesAndTheToolsSaySo() {
    requireDaxfsModule();
    succeeded("kmod-dmabuf-write");
    succeeded("kmod-dmabuf-umount");
    // The base holds inodes 1-4 (/, /etc, /etc/motd, /random.bin); the kernel's main starts handing
    // out numbers at 2, so the file, directory and file it creates take 2, 3 and 4, and the rename
    // names its parent /etc by the number the new file now has.
    GuestConsole.Step fsck = console.step("kmod-dmabuf-fsck");
    assertEquals(4, fsck.exit(), fsck.output());
    for (int ino = 2; ino <= 4; ino++) {
      assertTrue(fsck.output().contains("found new inode " + ino + " collides with base inode " + ino), fsck.output());
    }
    assertTrue(fsck.output().contains("rule 49 error: RENAME entry"), fsck.output());
    assertTrue(fsck.output().endsWith("INVALID (4 errors, 0 warnings)"), fsck.output());
    // What the log means with the colliding numbers: the write to motd and the deletion land, the
    // rename cannot (its parent is now a file), so the new file keeps its first name.
    GuestConsole.Step ls = console.step("kmod-dmabuf-ls");
    assertEquals(2, ls.exit());
    // The kernel itself, re-reading those numbers, shows /etc/motd as the new directory and
    // newdir/inner.txt with the 20000 bytes of the base's /random.bin.
    String reread = succeeded("kmod-dmabuf-write").output();
    reread = reread.substring(reread.indexOf("--- the kernel's view, re-read from its log"));
    assertTrue(reread.contains("etc/motd directory "), reread);
    assertTrue(reread.contains("newdir/inner.txt regular file 20000 "), reread);
    assertTrue(ls.output().startsWith("""
        /:
        drwxr-xr-x    2     0     0        288 etc
        drwxr-xr-x    2     0     0        144 newdir

        /etc:
        -rw-r--r--    1     0     0         22 created.txt
        -rw-r--r--    1     0     0         22 motd

        /newdir:
        -rw-r--r--    1     0     0          6 inner.txt
        """), ls.output());
  }

  @Test void kernelWritesInAChildBranchAreReplayedAsTheKernelWroteThem() {
    requireDaxfsModule();
    assertTrue(succeeded("kmod-devdax-mount").output().endsWith("branch=/main/feature,rw 0 0"));
    String kernel = succeeded("kmod-devdax-change").output();
    // The kernel's own readdir keeps a renamed entry's old name (a bug the format sheet lists);
    // its lookup finds the new one.
    assertTrue(kernel.contains("etc:\n.\n..\ncreated.txt\nmotd\n"), kernel);
    assertTrue(kernel.contains("etc/renamed.txt: created by the kernel|\n"), kernel);
    // Re-read through its own log (caches dropped), the kernel loses the rename altogether and gives
    // the written base file the size of its last write; the log says 21 bytes and the new name.
    String reread = kernel.substring(kernel.indexOf("--- the kernel's view, re-read from its log"));
    assertTrue(reread.contains("etc/motd regular file 5 -rw-r--r--\n"), reread);
    assertTrue(reread.contains("stat: cannot statx 'etc/renamed.txt': No such file or directory"), reread);
    assertTrue(succeeded("kmod-devdax-commit").output().endsWith("branch=/main,rw 0 0"));
    // The child numbered its inodes from next_inode_id (6): no collision. main's next_local_ino
    // stays at the 2 the kernel gave it, below the inodes committed into its log: a warning.
    assertEquals("rule 43 warning: branch record at offset 4144: expected more than every inode its view uses"
        + " (largest 8), found 2 in slot 0 ('main')\n/dev/dax0.0: valid (0 errors, 1 warning)",
        succeeded("kmod-devdax-fsck").output());
    assertEquals("""
        /:
        drwxr-xr-x    2     0     0        288 etc
        lrwxrwxrwx    1     0     0          8 motd -> etc/motd
        drwxr-xr-x    2     0     0        144 newdir

        /etc:
        -rw-r--r--    1     0     0         21 motd
        -rw-r--r--    1     0     0         22 renamed.txt

        /newdir:
        -rw-r--r--    1     0     0          6 inner.txt""", succeeded("kmod-devdax-ls").output());
    assertEquals("created by the kernel", succeeded("kmod-devdax-cat").output());
    assertEquals("""
        --- base
        +++ main
        M /etc/motd (content)
        A /etc/renamed.txt
        A /newdir
        A /newdir/inner.txt
        D /random.bin""", differed("kmod-devdax-diff").output());
  }

  private static boolean daxfsModuleLoaded() {
    return !console.step("daxfs-module").output().equals(GuestSteps.NO_MODULE);
  }

  /** Aborts the calling test, loudly, when the run had no daxfs module; with one, it must have loaded. */
  private static void requireDaxfsModule() {
    if (!daxfsModuleLoaded()) {
      System.out.println("\n*** " + GuestSteps.NO_MODULE + " ***\n");
      Assumptions.abort(GuestSteps.NO_MODULE);
    }
    assertEquals("nodev\tdaxfs", succeeded("daxfs-module").output());
  }

  /** A diff step that found differences: exit 1, as diff(1). */
  private static GuestConsole.Step differed(String name) {
    GuestConsole.Step step = console.step(name);
    assertEquals(1, step.exit(), name + ": " + step.output());
    return step;
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

  @Test void imagesSignedInDeviceMemoryVerifyThereUntilAByteChanges() {
    assertTrue(succeeded("integrity-keygen").output().startsWith("wrote /tmp/release.key (private) and"));
    assertEquals("mkdaxfs: --sign on -H, -p or --devdax needs --sig-file SIG: memory has no IMAGE.sig beside it",
        console.step("devdax-sign-needs-sig-file").output().lines().findFirst().orElseThrow());
    assertEquals(1, console.step("devdax-sign-needs-sig-file").exit());
    for (String[] target : new String[][] {{"devdax", "/dev/dax0.0", "dax"}, {"phys", "0x120000000", "phys"}}) {
      String digest = signedDigest(target[0] + "-sign", "/tmp/" + target[2] + ".sig");
      // A new process maps the memory again and checks the signature against what it holds.
      String[] verified = succeeded(target[0] + "-verify").output().split("\n");
      assertTrue(verified[0].startsWith(target[1] + ": signature OK (Ed25519, key SHA256:"), verified[0]);
      assertTrue(verified[0].endsWith(", image digest " + digest + ")"), verified[0]);
      assertEquals(target[1] + ": valid (0 errors, 0 warnings)", verified[1]);
      succeeded(target[0] + "-tamper");
      // One byte of the base's inode table changed: the part of the base holding it is named.
      GuestConsole.Step tampered = console.step(target[0] + "-verify-tampered");
      assertEquals(4, tampered.exit(), tampered.output());
      assertTrue(tampered.output().startsWith(target[1] + ": SIGNATURE MISMATCH: image changed since it was signed,"
          + " in bytes "), tampered.output());
    }
  }

  @Test void aDmaBufSignatureVerifiesTheSameImageBuiltAsAFile() {
    String digest = signedDigest("heap-sign", "/tmp/heap.sig");
    assertTrue(succeeded("heap-twin").output().endsWith(", digest " + digest), console.step("heap-twin").output());
    assertTrue(succeeded("heap-sig-verifies-twin").output().startsWith("/tmp/heap-twin.img: signature OK"));
  }

  @Test void kernelBranchesInDeviceMemoryAreFlattenedToAFileAndReclaimedInPlace() {
    GuestConsole.Step image = console.step("devdax-kernel-image");
    if (image.exit() == GuestSteps.SKIPPED) {
      // The image lives outside the checkout; the guest names the host path it was looked for at.
      System.out.println("\n*** " + image.output().strip() + " ***\n");
      Assumptions.abort(image.output().strip());
    }
    succeeded("devdax-kernel-image");
    assertTrue(succeeded("devdax-flatten").output().startsWith("/tmp/flat.img: branch slot:1 flattened: "));
    // The aborted child's view: the base's /data/small renamed into the directory it made.
    assertTrue(succeeded("devdax-flatten-ls").output().lines().anyMatch(l -> l.equals("small-renamed")),
        console.step("devdax-flatten-ls").output());
    assertEquals("daxfs-inspect: /dev/dax0.0: device memory is rewritten in place, and another kernel may have it"
        + " mounted; unmount it everywhere and give --force", failedInOneLine("devdax-reclaim-unforced", 1));
    GuestConsole.Step listed = console.step("devdax-reclaim-list");
    assertEquals(1, listed.exit(), listed.output());
    assertTrue(listed.output().endsWith("13 entries in 3 branch records would be dropped; nothing done (run again"
        + " with --yes)"), listed.output());
    // Three 64 KiB logs were carved (the image's .expect.txt: delta_alloc 299008, region at 102400).
    assertTrue(succeeded("devdax-reclaim").output().endsWith(
        "/dev/dax0.0: dropped 3 branch records (13 entries), freed 196608 bytes of delta space"));
    assertEquals("/dev/dax0.0: valid (0 errors, 0 warnings)", succeeded("devdax-reclaim-fsck").output());
    assertEquals("/dev/dax0.0: dropped 0 branch records (0 entries), freed 0 bytes of delta space",
        succeeded("devdax-reclaim-again").output());
    succeeded("phys-kernel-image");
    assertTrue(succeeded("phys-flatten").output().contains("(branching, delta 1.0 MiB)"));
    assertTrue(succeeded("phys-reclaim").output().endsWith(
        "0x120000000: dropped 3 branch records (13 entries), freed 196608 bytes of delta space"));
    assertEquals("0x120000000: valid (0 errors, 0 warnings)", succeeded("phys-reclaim-fsck").output());
  }

  /** The digest a signing step printed, after checking it wrote {@code sig}. */
  private static String signedDigest(String step, String sig) {
    String summary = succeeded(step).output().lines().findFirst().orElseThrow();
    assertTrue(summary.endsWith(", signed: " + sig), summary);
    return summary.replaceFirst(".*, digest ([0-9a-f]{64}), signed: .*", "$1");
  }
}
