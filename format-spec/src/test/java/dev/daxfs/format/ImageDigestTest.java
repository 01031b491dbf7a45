package dev.daxfs.format;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ImageDigestTest {
  @TempDir Path dir;

  /** The tree of FORMAT.md's worked example. */
  static Node.Directory helloTree() {
    byte[] hello = "hello\n".getBytes(StandardCharsets.US_ASCII);
    return new Node.Directory(new byte[0], 0755, 0, 0, List.of(
        new Node.File(Node.name("hello.txt"), 0644, 0, 0, hello.length, Content.of(hello))));
  }

  static Node.Directory biggerTree(boolean reversed) {
    List<Node> kids = new ArrayList<>();
    for (int i = 0; i < 20; i++) {
      byte[] data = ("file " + i + "\n").repeat(300 * i).getBytes(StandardCharsets.US_ASCII);
      kids.add(new Node.File(Node.name("f" + i), 0640, 1000 + i, 100, data.length, Content.of(data)));
    }
    kids.add(new Node.Symlink(Node.name("link"), 0777, 0, 0, Node.name("f3")));
    kids.add(new Node.Directory(Node.name("sub"), 0700, 0, 0, List.of()));
    if (reversed) {
      kids = kids.reversed();
    }
    return new Node.Directory(new byte[0], 0755, 0, 0, kids);
  }

  private Path write(Node.Directory tree, ImageSpec spec, String name) throws IOException {
    Path out = dir.resolve(name);
    ImageWriter.write(ImageLayout.plan(tree, spec), out, ImageWriter.Progress.NONE);
    return out;
  }

  private static ImageDigest digest(byte[] image) {
    return ImageDigest.of(Image.open(ImageBytes.of(image)));
  }

  private static Optional<ImageDigest> tryDigest(byte[] image) {
    try {
      return Optional.of(digest(image));
    } catch (FormatException e) {
      return Optional.empty();
    }
  }

  private static ImageDigest digest(Path image) throws IOException {
    try (ImageFile f = ImageFile.open(image)) {
      return ImageDigest.of(f.image());
    }
  }

  @Test
  void sameTreeBuiltTwiceHasTheSameDigest() throws IOException {
    for (ImageSpec spec : List.of(ImageSpec.staticImage(), ImageSpec.branching(1 << 20))) {
      Path a = write(biggerTree(false), spec, "a");
      Path b = write(biggerTree(true), spec, "b");
      assertEquals(digest(a), digest(b));
      assertNotEquals(digest(a), digest(write(helloTree(), spec, "c")));
    }
  }

  @Test
  void deviceMemoryGivesTheSameDigestAsTheFile() throws IOException {
    ImageLayout layout = ImageLayout.plan(biggerTree(false), ImageSpec.branching(1 << 20));
    Path file = write(biggerTree(false), ImageSpec.branching(1 << 20), "img");
    try (Arena arena = Arena.ofConfined()) {
      // Native memory larger than the image, as a devdax region or dma-buf usually is.
      MemorySegment memory = arena.allocate(layout.imageSize() + (3 << 20), 4096);
      memory.fill((byte) 0x5a);
      ImageWriter.write(layout, memory, ImageWriter.Progress.NONE);
      assertTrue(memory.isNative() && !memory.isMapped());
      assertEquals(digest(file), ImageDigest.of(Image.open(new ImageBytes(memory))));
    }
  }

  @Test
  void fieldsTheKernelUpdatesAndTheRuntimeRegionsAreNotCovered() throws IOException {
    byte[] image = Files.readAllBytes(write(biggerTree(false), ImageSpec.branching(1 << 20), "img"));
    ImageDigest before = digest(image);
    Superblock sb = Image.open(ImageBytes.of(image)).superblock();
    for (String field : List.of("active_branches", "next_branch_id", "next_inode_id", "delta_alloc_offset")) {
      image[(int) Structs.offset(Structs.SUPERBLOCK, field)] ^= 0x11;
    }
    image[(int) sb.branchTableOffset() + 7] ^= 1;
    image[(int) sb.deltaRegionOffset() + 100] ^= 1;
    assertEquals(before, digest(image));
  }

  @Test
  void everyFixedFieldAndEveryBaseByteIsCovered() throws IOException {
    byte[] image = Files.readAllBytes(write(biggerTree(false), ImageSpec.branching(1 << 20), "img"));
    ImageDigest before = digest(image);
    Superblock sb = Image.open(ImageBytes.of(image)).superblock();
    for (String field : DigestedBytes.FIXED_FIELDS) {
      int at = (int) Structs.offset(Structs.SUPERBLOCK, field);
      image[at] ^= 0x01;
      // A changed field either changes the digest or leaves the image without one.
      assertNotEquals(Optional.of(before), tryDigest(image), field);
      image[at] ^= 0x01;
    }
    // The superblock block's tail after the fields: no reader looks at it, so only the digest
    // keeps it from changing under a signature (`printf '\1' | dd of=img bs=1 seek=2000`).
    for (int at : new int[] {(int) Structs.SUPERBLOCK.byteSize(), 2000, 4095}) {
      image[at] ^= 1;
      assertNotEquals(before, digest(image), "superblock tail byte " + at);
      image[at] ^= 1;
    }
    for (long at = sb.baseOffset(); at < sb.baseOffset() + sb.baseSize(); at += 4093) {
      image[(int) at] ^= (byte) 0x80;
      assertNotEquals(before, digest(image), "base byte " + at);
      image[(int) at] ^= (byte) 0x80;
    }
    assertEquals(before, digest(image));
  }

  /**
   * The digest mkdaxfs's writer computes while writing equals the one read back, also with bytes in
   * no region (the padding of a static image of a fixed size), and each such byte that is not zero
   * leaves the image without a digest, named by its offset.
   */
  @Test
  void bytesInNoRegionMustBeZero() throws IOException {
    for (ImageSpec spec : List.of(ImageSpec.branching(1 << 20), new ImageSpec(false, 0, 1 << 20),
        new ImageSpec(true, 0, 2 << 20))) {
      Path file = dir.resolve("gaps");
      ImageDigest written = ImageWriter.write(ImageLayout.plan(biggerTree(false), spec), file, ImageWriter.Progress.NONE);
      byte[] image = Files.readAllBytes(file);
      assertEquals(written, digest(image), spec.toString());
      Superblock sb = Image.open(ImageBytes.of(image)).superblock();
      List<RegionGap> gaps = RegionGap.all(sb, image.length);
      // Only the padding of a static image of a fixed size: mkdaxfs leaves no other gap.
      assertEquals(!spec.branching(), !gaps.isEmpty(), spec + ": " + gaps);
      for (RegionGap g : gaps) {
        for (long at : new long[] {g.start(), g.start() + g.length() / 2, g.end() - 1}) {
          image[(int) at] = 0x2a;
          FormatException e = assertThrows(FormatException.class, () -> digest(image), spec + " byte " + at);
          assertEquals(at, e.offset());
          assertTrue(e.getMessage().contains("byte 0x2a lies in no region"), e.getMessage());
          image[(int) at] = 0;
        }
      }
      assertEquals(written, digest(image));
    }
  }

  /** Crafted layouts: a base that starts after 4096, a delta region that starts a block after the base. */
  @Test
  void bytesBeforeALateBaseAndBeforeALateDeltaRegionMustBeZero() throws IOException {
    byte[] built = Files.readAllBytes(write(helloTree(), ImageSpec.staticImage(), "hello"));
    byte[] late = new byte[built.length + 4096];
    System.arraycopy(built, 0, late, 0, 4096);
    System.arraycopy(built, 4096, late, 8192, built.length - 4096);
    putU64(late, Structs.offset(Structs.SUPERBLOCK, "base_offset"), 8192);
    putU64(late, Structs.offset(Structs.SUPERBLOCK, "total_size"), late.length);
    byte[] branching = Files.readAllBytes(write(helloTree(), ImageSpec.branching(1 << 20), "branching"));
    Superblock sb = Image.open(ImageBytes.of(branching)).superblock();
    putU64(branching, Structs.offset(Structs.SUPERBLOCK, "delta_region_offset"), sb.deltaRegionOffset() + 4096);
    putU64(branching, Structs.offset(Structs.SUPERBLOCK, "delta_region_size"), sb.deltaRegionSize() - 4096);
    for (var c : List.of(Map.entry(late, 5000L), Map.entry(branching, sb.deltaRegionOffset() + 4095))) {
      byte[] image = c.getKey();
      long at = c.getValue();
      ImageDigest zeros = digest(image);
      image[(int) at] = 1;
      assertEquals(at, assertThrows(FormatException.class, () -> digest(image)).offset());
      image[(int) at] = 0;
      assertEquals(zeros, digest(image));
    }
  }

  /** Hostile regions (overlapping, past total_size, overflowing) never make the precondition fail to answer. */
  @Test
  void hostileRegionsOnlyNarrowTheGaps() throws IOException {
    byte[] image = Files.readAllBytes(write(biggerTree(false), ImageSpec.branching(1 << 20), "img"));
    ImageDigest before = digest(image);
    long table = Structs.offset(Structs.SUPERBLOCK, "branch_table_offset");
    long delta = Structs.offset(Structs.SUPERBLOCK, "delta_region_offset");
    long deltaSize = Structs.offset(Structs.SUPERBLOCK, "delta_region_size");
    for (long[] edit : new long[][] {{table, 8192}, {delta, 4096}, {deltaSize, -1L}, {delta, -4096L}, {table, -1L}}) {
      byte[] b = image.clone();
      putU64(b, edit[0], edit[1]);
      // Either a digest (these fields are covered, so a different one) or a FormatException; nothing else.
      assertNotEquals(Optional.of(before), tryDigest(b));
    }
  }

  @Test
  void truncatedImageHasNoDigest() throws IOException {
    byte[] image = Files.readAllBytes(write(helloTree(), ImageSpec.branching(1 << 20), "img"));
    // Cut inside the delta region: the base is intact, but the image is not the one built.
    byte[] cut = java.util.Arrays.copyOf(image, image.length - 1);
    FormatException e = assertThrows(FormatException.class, () -> digest(cut));
    assertTrue(e.getMessage().contains("truncated"), e.getMessage());
  }

  @Test
  void realKernelMountsDoNotChangeTheDigest() throws IOException {
    ImageDigest input = digest(KernelImages.image("base-input"));
    for (String name : List.of("child-active", "child-commit", "remount-after-umount")) {
      byte[] mounted = KernelImages.image(name);
      Superblock sb = Image.open(ImageBytes.of(mounted)).superblock();
      assertTrue(sb.nextBranchId() > 1 && sb.deltaAllocOffset() > sb.deltaRegionOffset(),
          name + ": the kernel wrote the mutable fields");
      assertEquals(input, digest(mounted), name);
    }
  }

  @Test
  void formatMdWorkedExampleAndPythonRecomputation() throws Exception {
    String spec = Files.readString(Path.of("FORMAT.md"));
    Path hello = write(helloTree(), ImageSpec.staticImage(), "hello.daxfs");
    ImageDigest ours = digest(hello);
    DigestedBytes digested = DigestedBytes.of(Image.open(ImageBytes.of(Files.readAllBytes(hello))));
    String section = spec.substring(spec.indexOf("## Image digest"));
    int first = section.indexOf("```\n") + 4;
    int second = section.indexOf("```\n", section.indexOf("```", first) + 4) + 4;
    // The shown header bytes, then the superblock block's 4000-byte tail (zero as mkdaxfs writes it).
    assertEquals(shownHex(section, first) + "00".repeat(4000), HexFormat.of().formatHex(digested.header()),
        "FORMAT.md's header bytes of the worked example");
    // The shown records, against an encoding of item 4 written here from the sheet's words.
    java.io.ByteArrayOutputStream records = new java.io.ByteArrayOutputStream();
    digested.records((index, segment, offset, length) -> {
      records.writeBytes(java.nio.ByteBuffer.allocate(12).order(java.nio.ByteOrder.LITTLE_ENDIAN)
          .putLong(index).putInt(length).array());
      records.writeBytes(segment.asSlice(offset, length).toArray(java.lang.foreign.ValueLayout.JAVA_BYTE));
    });
    assertEquals(shownHex(section, second), HexFormat.of().formatHex(records.toByteArray()),
        "FORMAT.md's block records of the worked example");
    assertTrue(spec.contains(ours.hex()), "FORMAT.md shows the example's digest " + ours.hex());

    int start = spec.indexOf("```python\n", spec.indexOf("## Image digest"));
    String script = spec.substring(start + "```python\n".length(), spec.indexOf("```\n", start + 10));
    Path py = dir.resolve("digest.py");
    Files.writeString(py, script);
    Path other = write(biggerTree(false), ImageSpec.branching(1 << 20), "bigger.daxfs");
    Path padded = write(biggerTree(false), new ImageSpec(false, 0, 1 << 20), "padded.daxfs");
    for (Path image : List.of(hello, other, padded)) {
      assertEquals(digest(image).hex(), python(py, image), image.toString());
    }
    // A byte in the padding: the script refuses the image as the codec does.
    byte[] b = Files.readAllBytes(padded);
    b[b.length - 2] = 1;
    Files.write(padded, b);
    Process p = new ProcessBuilder("python3", py.toString(), padded.toString()).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertTrue(p.waitFor(30, TimeUnit.SECONDS));
    assertNotEquals(0, p.exitValue(), out);
    assertTrue(out.contains("a byte in no region is not zero"), out);
  }

  /** The hex bytes of the code block at {@code from}: on each line, the two-digit tokens before its note. */
  private static String shownHex(String text, int from) {
    StringBuilder hex = new StringBuilder();
    for (String line : text.substring(from, text.indexOf("```", from)).split("\n")) {
      for (String t : line.strip().split("\\s+")) {
        if (!t.matches("[0-9a-f]{2}")) {
          break;
        }
        hex.append(t);
      }
    }
    return hex.toString();
  }

  private static String python(Path script, Path image) throws Exception {
    Process p;
    try {
      p = new ProcessBuilder("python3", script.toString(), image.toString()).redirectErrorStream(true).start();
    } catch (IOException e) {
      System.err.println("SKIPPED: python3 is not installed: " + e.getMessage());
      Assumptions.abort("python3 is not installed");
      throw e;
    }
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
    assertTrue(p.waitFor(30, TimeUnit.SECONDS));
    assertEquals(0, p.exitValue(), out);
    return out;
  }

  private static void putU64(byte[] b, long at, long v) {
    java.nio.ByteBuffer.wrap(b).order(java.nio.ByteOrder.LITTLE_ENDIAN).putLong((int) at, v);
  }
}
