import dev.daxfs.format.*;
import java.lang.foreign.*;
import java.nio.channels.FileChannel;
import java.nio.file.*;
import java.util.*;

/**
 * Writes a hostile-shaped but valid branching image: one ACTIVE "main" whose log holds LOG_MIB MiB
 * of 8-byte writes to a base file, and CHILDREN ACTIVE children of it with empty logs. A validator
 * that replays every leaf's chain from the base does CHILDREN times the work of one replay.
 *
 * Usage: java -cp format-spec/target/classes:format-spec/target/test-classes benchmarks/SharedLogImage.java LOG_MIB CHILDREN IMAGE
 */
public class SharedLogImage {
  public static void main(String[] a) throws Exception {
    long logBytes = Long.parseLong(a[0]) << 20;
    int children = Integer.parseInt(a[1]);
    Path out = Path.of(a[2]);
    Node.Directory tree = new Node.Directory(new byte[0], 0755, 0, 0, List.of(
        new Node.File(Node.name("f"), 0644, 0, 0, 3, Content.of("hi\n".getBytes()))));
    long cap64 = Format.KERNEL_LOG_CAPACITY;
    long delta = logBytes + (long) children * cap64 + cap64;
    ImageLayout layout = ImageLayout.plan(tree, ImageSpec.branching(delta));
    ImageWriter.write(layout, out, ImageWriter.Progress.NONE);
    Superblock sb = layout.superblock();
    try (FileChannel ch = FileChannel.open(out, StandardOpenOption.READ, StandardOpenOption.WRITE)) {
      MemorySegment m = ch.map(FileChannel.MapMode.READ_WRITE, 0, layout.imageSize(), Arena.global());
      long at = sb.deltaRegionOffset();
      long mainAt = at;
      // main's log: 8-byte writes to the base file, each at a new offset (an extent each).
      long used = 0;
      long off = 0;
      byte[] chunk;
      while (true) {
        DeltaLogBuilder bld = new DeltaLogBuilder().timestamp(1);
        for (int i = 0; i < 4096; i++) {
          bld.write(2, off, "12345678".getBytes());
          off += 16;
        }
        chunk = bld.toByteArray();
        if (used + chunk.length > logBytes) break;
        MemorySegment.copy(MemorySegment.ofArray(chunk), 0, m, mainAt + used, chunk.length);
        used += chunk.length;
      }
      long next = mainAt + logBytes;
      MemorySegment.copy(MemorySegment.ofArray(new BranchRecord(0, 0, 1, 0, mainAt, used, logBytes, Format.BRANCH_ACTIVE, 1 + children, 3,
          BranchRecord.nameField("main")).encode()), 0, m, sb.branchTableOffset(), Format.BRANCH_RECORD_SIZE);
      for (int c = 1; c <= children; c++) {
        MemorySegment.copy(MemorySegment.ofArray(new BranchRecord(c, 0, 1 + c, 1, next, 0, cap64, Format.BRANCH_ACTIVE, 1, 3,
            BranchRecord.nameField("c" + c)).encode()), 0, m, sb.branchTableOffset() + (long) c * Format.BRANCH_RECORD_SIZE, Format.BRANCH_RECORD_SIZE);
        next += cap64;
      }
      Superblock mounted = sb.withCounters(1 + children, 2 + children, 3, next);
      byte[] sbBytes = mounted.encode();
      MemorySegment.copy(MemorySegment.ofArray(sbBytes), 0, m, 0, sbBytes.length);
      System.out.println("log used " + used + " entries " + (used / (chunk.length / 4096)) + " next " + next + " size " + layout.imageSize());
    }
  }
}
