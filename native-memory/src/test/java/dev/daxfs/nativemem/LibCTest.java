package dev.daxfs.nativemem;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.Random;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The binding layer against the running kernel. */
class LibCTest {
  private static final long FIONREAD = 0x541B;
  private static final long TIOCGPTN = 0x80045430L;

  @TempDir Path dir;

  @Test void failedOpenReportsCallPathAndErrnoText() {
    SystemCallException missing = assertThrows(SystemCallException.class,
        () -> LibC.open("/nonexistent-daxfs-dir/file", LibC.O_RDONLY));
    assertEquals(Errno.ENOENT, missing.errno());
    assertEquals("open /nonexistent-daxfs-dir/file: No such file or directory", missing.getMessage());

    // A different errno from the same call proves errno is captured per call, not a constant.
    SystemCallException notDir = assertThrows(SystemCallException.class,
        () -> LibC.open("/proc/self/status/x", LibC.O_RDONLY));
    assertEquals(20, notDir.errno());
    assertEquals("open", notDir.call());
    assertEquals("/proc/self/status/x", notDir.target());
    assertTrue(notDir.getMessage().endsWith(": Not a directory"), notDir.getMessage());
  }

  @Test void ioctlWithPointerArgumentReadsKernelAnswer() throws Exception {
    Path file = dir.resolve("f");
    Files.write(file, new byte[12345]);
    try (Fd fd = Fd.open(file.toString(), LibC.O_RDONLY); Arena arena = Arena.ofConfined()) {
      MemorySegment count = arena.allocate(ValueLayout.JAVA_INT);
      count.set(ValueLayout.JAVA_INT, 0, -1);
      assertEquals(0, LibC.ioctl(fd.fd(), FIONREAD, count, "FIONREAD", fd.target()));
      assertEquals(12345, count.get(ValueLayout.JAVA_INT, 0));

      SystemCallException notTty = assertThrows(SystemCallException.class,
          () -> LibC.ioctl(fd.fd(), KernelStructs.DMA_BUF_IOCTL_SYNC, count, "DMA_BUF_IOCTL_SYNC", fd.target()));
      assertEquals(Errno.ENOTTY, notTty.errno());
      assertEquals("ioctl(DMA_BUF_IOCTL_SYNC) " + file + ": Inappropriate ioctl for device", notTty.getMessage());
    }
  }

  @Test void ioctlOnPseudoTerminalMaster() throws Exception {
    Assumptions.assumeTrue(Files.exists(Path.of("/dev/ptmx")), () -> {
      System.out.println("SKIPPED: no /dev/ptmx on this machine");
      return "no /dev/ptmx";
    });
    try (Fd ptmx = Fd.open("/dev/ptmx", LibC.O_RDWR | LibC.O_CLOEXEC); Arena arena = Arena.ofConfined()) {
      MemorySegment number = arena.allocate(ValueLayout.JAVA_INT);
      number.set(ValueLayout.JAVA_INT, 0, -1);
      LibC.ioctl(ptmx.fd(), TIOCGPTN, number, "TIOCGPTN", ptmx.target());
      int pty = number.get(ValueLayout.JAVA_INT, 0);
      assertTrue(pty >= 0);
      assertTrue(Files.exists(Path.of("/dev/pts/" + pty)), "the kernel created /dev/pts/" + pty);
    }
  }

  @Test void sharedMappingOfAFileReadsAndWritesItsBytes() throws Exception {
    byte[] bytes = new byte[3 * 4096 + 17];
    new Random(7).nextBytes(bytes);
    Path file = dir.resolve("mapped");
    Files.write(file, bytes);
    MemorySegment escaped;
    try (Fd fd = Fd.open(file.toString(), LibC.O_RDWR);
         MappedMemory memory = MappedMemory.map(fd, fd.target(), 0, bytes.length, true)) {
      assertArrayEquals(bytes, memory.segment().toArray(ValueLayout.JAVA_BYTE));
      memory.segment().set(ValueLayout.JAVA_BYTE, 5000, (byte) ~bytes[5000]);
      memory.flush();
      escaped = memory.segment();
    }
    assertEquals((byte) ~bytes[5000], Files.readAllBytes(file)[5000]);
    assertFalse(escaped.scope().isAlive(), "closing unmaps and invalidates the segment");
    assertThrows(IllegalStateException.class, () -> escaped.get(ValueLayout.JAVA_BYTE, 0));
  }

  @Test void readOnlyMappingRefusesWrites() throws Exception {
    Path file = dir.resolve("ro");
    Files.write(file, new byte[4096]);
    try (Fd fd = Fd.open(file.toString(), LibC.O_RDONLY);
         MappedMemory memory = MappedMemory.map(fd, fd.target(), 0, 4096, false)) {
      assertThrows(IllegalArgumentException.class,
          () -> memory.segment().set(ValueLayout.JAVA_BYTE, 0, (byte) 1));
    }
  }

  @Test void mmapFailureNamesTarget() throws Exception {
    Path file = dir.resolve("small");
    Files.write(file, new byte[10]);
    try (Fd fd = Fd.open(file.toString(), LibC.O_RDONLY)) {
      // Writable shared mapping of a read-only fd: EACCES.
      SystemCallException e = assertThrows(SystemCallException.class,
          () -> MappedMemory.map(fd, fd.target(), 0, 4096, true));
      assertEquals(Errno.EACCES, e.errno());
      assertEquals("mmap " + file + ": Permission denied", e.getMessage());
    }
  }

  @Test void fstatMatchesWhatTheJdkSees() throws Exception {
    Path file = dir.resolve("stat");
    Files.write(file, new byte[70000]);
    Files.setLastModifiedTime(file, FileTime.fromMillis(1_234_567_000L));
    FileStat stat;
    try (Fd fd = Fd.open(file.toString(), LibC.O_RDONLY)) {
      stat = LibC.fstat(fd.fd(), fd.target());
    }
    assertEquals(70000, stat.size());
    assertEquals(((Number) Files.getAttribute(file, "unix:ino")).longValue(), stat.ino());
    assertEquals(((Number) Files.getAttribute(file, "unix:dev")).longValue(), stat.dev());
    assertEquals(((Number) Files.getAttribute(file, "unix:mode")).intValue(), stat.mode());
    assertEquals(((Number) Files.getAttribute(file, "unix:nlink")).longValue(), stat.nlink());
    assertEquals(((Number) Files.getAttribute(file, "unix:uid")).intValue(), stat.uid());
    assertEquals(1_234_567, stat.mtime());
    assertFalse(stat.isCharacterDevice());

    try (Fd fd = Fd.open("/dev/null", LibC.O_RDONLY)) {
      FileStat devNull = LibC.fstat(fd.fd(), fd.target());
      assertTrue(devNull.isCharacterDevice());
      assertEquals(((Number) Files.getAttribute(Path.of("/dev/null"), "unix:rdev")).longValue(), devNull.rdev());
      assertEquals((1 << 8) | 3, devNull.rdev(), "/dev/null is char 1:3");
    }
  }

  @Test void lseekEndGivesFileSize() throws Exception {
    Path file = dir.resolve("seek");
    Files.write(file, new byte[8193]);
    try (Fd fd = Fd.open(file.toString(), LibC.O_RDONLY)) {
      assertEquals(8193, LibC.lseek(fd.fd(), 0, LibC.SEEK_END, fd.target()));
    }
  }

  @Test void rawSyscallPassesSixtyFourBitArguments() throws Exception {
    long getpid = Arch.current() == Arch.X86_64 ? 39 : 172;
    assertEquals(ProcessHandle.current().pid(), LibC.syscall("getpid", "self", getpid, 0, 0, 0, 0, 0));
    // close(-1) through syscall: the errno comes back through the same capture.
    long close = Arch.current() == Arch.X86_64 ? 3 : 57;
    SystemCallException e = assertThrows(SystemCallException.class,
        () -> LibC.syscall("close", "fd -1", close, -1, 0, 0, 0, 0));
    assertEquals(9, e.errno());
    assertEquals("close fd -1: Bad file descriptor", e.getMessage());
  }

  @Test void closeTwiceIsHarmlessAndUseAfterCloseIsRefused() throws Exception {
    Fd fd = Fd.open("/dev/null", LibC.O_RDONLY);
    fd.close();
    fd.close();
    assertThrows(IllegalStateException.class, fd::fd);
  }
}
