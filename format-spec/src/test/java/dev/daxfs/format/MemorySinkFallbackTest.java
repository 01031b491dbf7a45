package dev.daxfs.format;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.sun.nio.file.ExtendedOpenOption;
import java.io.IOException;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The EFAULT that -H/-p meet on file systems that pin the pages they read into (9p cache=none,
 * FUSE direct_io), provoked on the host: a source opened with O_DIRECT (which pins too) read into
 * memfd_secret memory, which the kernel refuses to pin as it refuses device memory. The memory
 * sink must fall back to a bounce buffer and write the right bytes.
 */
class MemorySinkFallbackTest {
  private static final long MEMFD_SECRET = 447;
  private static final int SIZE = 3 << 20;

  @TempDir Path tmp;

  @Test
  void aReadIntoMemoryThatCannotBePinnedGoesThroughABounceBuffer() throws Throwable {
    MemorySegment memory = secretMemory(SIZE + 8192);
    if (memory == null) {
      return;
    }
    byte[] data = new byte[SIZE];
    new Random(7).nextBytes(data);
    Path source = Files.write(tmp.resolve("source"), data);
    try (FileChannel direct = open(source)) {
      if (direct == null) {
        return;
      }
      // The precondition: reading straight into this memory fails, as on 9p into device memory.
      IOException efault = assertThrows(IOException.class,
          () -> direct.read(memory.asSlice(0, 1 << 20).asByteBuffer(), 0));
      System.err.println("direct read into unpinnable memory: " + efault.getMessage());
      ImageSink.of(memory).transferFrom(direct, 0, SIZE, 4096);
    }
    assertArrayEquals(data, memory.asSlice(4096, SIZE).toArray(ValueLayout.JAVA_BYTE));
  }

  private static FileChannel open(Path source) {
    try {
      return FileChannel.open(source, StandardOpenOption.READ, ExtendedOpenOption.DIRECT);
    } catch (IOException | UnsupportedOperationException e) {
      System.err.println("SKIPPED: the temporary directory's file system refuses O_DIRECT: " + e);
      return null;
    }
  }

  /** memfd_secret(2) memory of {@code size} bytes, mapped shared; null (and SKIPPED) where the kernel has none. */
  private static MemorySegment secretMemory(long size) throws Throwable {
    Linker linker = Linker.nativeLinker();
    MethodHandle syscall = linker.downcallHandle(linker.defaultLookup().findOrThrow("syscall"),
        FunctionDescriptor.of(JAVA_LONG, JAVA_LONG, JAVA_LONG), Linker.Option.firstVariadicArg(1));
    MethodHandle ftruncate = linker.downcallHandle(linker.defaultLookup().findOrThrow("ftruncate"),
        FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_LONG));
    MethodHandle mmap = linker.downcallHandle(linker.defaultLookup().findOrThrow("mmap"),
        FunctionDescriptor.of(ADDRESS, ADDRESS, JAVA_LONG, JAVA_INT, JAVA_INT, JAVA_INT, JAVA_LONG));
    if (!System.getProperty("os.arch").matches("amd64|x86_64|aarch64")) {
      System.err.println("SKIPPED: memfd_secret's number is known here for x86_64 and aarch64 only");
      return null;
    }
    int fd = (int) (long) syscall.invokeExact(MEMFD_SECRET, 0L);
    if (fd < 0) {
      System.err.println("SKIPPED: no memfd_secret in this kernel (CONFIG_SECRETMEM, secretmem.enable)");
      return null;
    }
    if ((int) ftruncate.invokeExact(fd, size) != 0) {
      System.err.println("SKIPPED: memfd_secret memory cannot be sized (RLIMIT_MEMLOCK?)");
      return null;
    }
    MemorySegment at = (MemorySegment) mmap.invokeExact(MemorySegment.NULL, size, 3, 1, fd, 0L);
    if (at.address() == -1L) {
      System.err.println("SKIPPED: memfd_secret memory cannot be mapped (RLIMIT_MEMLOCK?)");
      return null;
    }
    // Unmapped when the JVM exits: a few MiB for one test.
    return at.reinterpret(size);
  }
}
