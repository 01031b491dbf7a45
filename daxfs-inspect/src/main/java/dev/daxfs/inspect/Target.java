package dev.daxfs.inspect;

import dev.daxfs.format.BranchRecord;
import dev.daxfs.format.BranchTable;
import dev.daxfs.format.BranchView;
import dev.daxfs.format.DataRanges;
import dev.daxfs.format.FormatException;
import dev.daxfs.format.Image;
import dev.daxfs.format.ImageBytes;
import dev.daxfs.format.Replay;
import dev.daxfs.format.ViewNode;
import dev.daxfs.nativemem.FileType;
import dev.daxfs.nativemem.InputFile;
import dev.daxfs.nativemem.MappedMemory;
import dev.daxfs.format.MemoryImage;
import dev.daxfs.validate.Options;
import dev.daxfs.validate.Problem;
import dev.daxfs.validate.Report;
import dev.daxfs.validate.Severity;
import dev.daxfs.validate.Validator;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;

/** The image a command reads, the problems met reading it, and the branches it holds. */
final class Target implements AutoCloseable {
  /** How -b names a nameless (committed or aborted) branch: by its slot. */
  static final String SLOT_PREFIX = BranchTable.SLOT_PREFIX;

  final Path path;
  final Image image;
  final Problems problems = new Problems();
  /** The device memory the image is in, or null for an image file. */
  final MappedMemory memory;
  /** Where the image file holds data; for a copy that skips its holes unread. */
  final DataRanges data;
  private final Runnable release;
  private BranchTable table;
  private Report validity;

  private Target(Path path, Image image, MappedMemory memory, DataRanges data, Runnable release) {
    this.path = path;
    this.image = image;
    this.memory = memory;
    this.data = data;
    this.release = release;
    try {
      image.requireV3();
    } catch (FormatException e) {
      problems.add(e);
    }
  }

  /**
   * Maps the image: a regular file, or a block device (whose image is the prefix its superblock
   * claims, as in device memory); anything else is refused saying what it is, before it is read
   * (a FIFO would block). A file too short for a superblock is a FormatException.
   */
  static Target open(Path path) throws IOException {
    InputFile file = InputFile.open(path, "an image (a regular file or a block device)", true);
    MappedMemory memory = null;
    try {
      memory = file.map();
      if (file.type() == FileType.BLOCK_DEVICE) {
        file.close();
        return new Target(path, Image.open(MemoryImage.of(memory.segment())), null, DataRanges.ALL, memory::close);
      }
      // The descriptor stays open to ask this very file (not the path again) where its holes are.
      MappedMemory mapped = memory;
      DataRanges holes = holesOf(file);
      return new Target(path, Image.open(new ImageBytes(memory.segment(), mapped::release, holes)), null, holes, () -> {
        mapped.close();
        closeQuietly(file);
      });
    } catch (IOException | RuntimeException e) {
      if (memory != null) {
        memory.close();
      }
      closeQuietly(file);
      throw e;
    }
  }

  private static DataRanges holesOf(InputFile file) {
    return new DataRanges() {
      @Override public long nextData(long from, long end) throws IOException { return file.nextData(from, end); }

      @Override public long nextHole(long from, long end) throws IOException { return file.nextHole(from, end); }
    };
  }

  private static void closeQuietly(InputFile file) {
    try {
      file.close();
    } catch (IOException e) {
      // read-only: nothing was written through it that a failed close could lose
    }
  }

  /** The image at the start of {@code memory} (a devdax device or a physical range), named {@code label}. */
  static Target inMemory(Path label, MappedMemory memory) {
    try {
      return new Target(label, Image.open(MemoryImage.of(memory.segment())), memory, DataRanges.ALL, memory::close);
    } catch (RuntimeException e) {
      memory.close();
      throw e;
    }
  }

  /** What daxfs-fsck says of the image (checked once, however many callers ask). */
  Report validity() {
    if (validity == null) {
      validity = Validator.check(image, Options.of(image.bytes().size()));
    }
    return validity;
  }

  /**
   * Adds daxfs-fsck's errors to the problems, so a command on an image fsck rejects exits 2; one
   * at an offset where decoding or replay already met a problem is not said twice.
   */
  void reportInvalid() {
    java.util.Set<Long> shown = problems.offsets();
    for (Problem p : validity().problems()) {
      if (p.severity() == Severity.ERROR && !shown.contains(p.offset())) {
        problems.add(p);
      }
    }
  }

  /** The branch records, empty for a static image or a table that cannot be read (marked). */
  List<BranchRecord> branches() {
    if (table == null) {
      try {
        table = image.branchTable();
      } catch (FormatException e) {
        problems.add(e);
        table = new BranchTable(0, List.of());
      }
    }
    return table.records();
  }

  BranchTable table() {
    branches();
    return table;
  }

  /**
   * The branch {@code spec} means: a name (the newest ACTIVE record with it) or "slot:N"; null
   * for the base. Without -b: main, or the base when there is none (a static or never-mounted image).
   */
  BranchRecord branch(String spec) {
    try {
      return table().select(spec);
    } catch (IllegalArgumentException e) {
      throw new UsageException(e.getMessage());
    }
  }

  /** The view of {@code branch} (null: the base). */
  BranchView view(BranchRecord branch) {
    return branch == null ? Replay.base(image, problems) : Replay.branch(image, branch, problems);
  }

  /** The record {@code b}'s parent_id means (the nearest earlier slot with that id), or null. */
  BranchRecord parent(BranchRecord b) {
    List<BranchRecord> chain = Replay.chain(table(), b, p -> { });
    return chain.size() > 1 ? chain.get(chain.size() - 2) : null;
  }

  /** How output names a branch: its name, else its slot. */
  static String label(BranchRecord b) {
    if (b == null) {
      return "base";
    }
    return b.name().isEmpty() ? SLOT_PREFIX + b.slot() : b.name();
  }

  /** The node at {@code path} in {@code view}, or a UsageException naming it. */
  static ViewNode node(BranchView view, String path) {
    return view.lookup(path).orElseThrow(() -> new UsageException(path + ": no such file or directory"));
  }

  @Override public void close() { release.run(); }
}
