package dev.daxfs.integrity;

import dev.daxfs.format.BlockRecords;
import dev.daxfs.format.DigestedBytes;
import dev.daxfs.format.Format;
import dev.daxfs.format.ImageDigest;
import java.nio.ByteBuffer;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;

/**
 * Short digests of consecutive parts of the digested bytes: the header, then the base region in
 * {@code segmentSize} pieces (at most {@link #MAX_BASE_SEGMENTS}), each the SHA-256 of the block
 * records (FORMAT.md, "Image digest", item 4) of the blocks in it, so zero blocks and holes cost
 * nothing here either. A signature file carries them
 * unsigned, as hints: they never decide whether an image is accepted, they only let a failed check
 * say where the image differs from the signed one, or that it is another image altogether.
 *
 * @param digests the first 8 bytes of each part's SHA-256, big-endian; index 0 is the header
 */
record SegmentDigests(long segmentSize, List<Long> digests) {
  static final int MAX_BASE_SEGMENTS = 64;

  SegmentDigests {
    digests = List.copyOf(digests);
  }

  /** The smallest multiple of the block size that cuts {@code baseSize} into at most 64 parts. */
  static long segmentSizeFor(long baseSize) {
    return Math.max(Format.BLOCK_SIZE, Format.alignUp(Math.ceilDiv(baseSize, MAX_BASE_SEGMENTS)));
  }

  static long countFor(long baseSize, long segmentSize) {
    return Math.ceilDiv(baseSize, segmentSize);
  }

  static SegmentDigests of(DigestedBytes bytes, long segmentSize) {
    // Callers bound the count: at most 64 when signing, the signed count (checked) when verifying.
    MessageDigest[] parts = new MessageDigest[Math.toIntExact(countFor(bytes.baseSize(), segmentSize))];
    long blocksPerPart = segmentSize / BlockRecords.BLOCK;
    bytes.records((index, segment, offset, length) -> {
      int part = Math.toIntExact(index / blocksPerPart);
      if (parts[part] == null) {
        parts[part] = ImageDigest.sha256();
      }
      BlockRecords.update(parts[part], index, segment, offset, length);
    });
    List<Long> out = new ArrayList<>();
    out.add(shortDigest(bytes.header()));
    for (MessageDigest md : parts) {
      out.add(ByteBuffer.wrap((md == null ? ImageDigest.sha256() : md).digest()).getLong());
    }
    return new SegmentDigests(segmentSize, out);
  }

  private static long shortDigest(byte[] bytes) {
    return ByteBuffer.wrap(ImageDigest.sha256().digest(bytes)).getLong();
  }

  String encode() {
    StringBuilder sb = new StringBuilder().append(segmentSize);
    for (long d : digests) {
      sb.append(' ').append(HexFormat.of().toHexDigits(d));
    }
    return sb.toString();
  }

  /** Parses {@link #encode()}'s text; IllegalArgumentException saying what is wrong. */
  static SegmentDigests parse(String text) {
    String[] parts = text.split(" ", -1);
    long size;
    try {
      size = Long.parseLong(parts[0]);
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("segment size '" + parts[0] + "' is not a number");
    }
    if (size <= 0 || size % Format.BLOCK_SIZE != 0) {
      throw new IllegalArgumentException("segment size " + size + " is not a positive multiple of " + Format.BLOCK_SIZE);
    }
    if (parts.length < 2 || parts.length > MAX_BASE_SEGMENTS + 2) {
      throw new IllegalArgumentException((parts.length - 1) + " segment digests, expected 1 to " + (MAX_BASE_SEGMENTS + 1));
    }
    List<Long> digests = new ArrayList<>();
    for (int i = 1; i < parts.length; i++) {
      if (!parts[i].matches("[0-9a-f]{16}")) {
        throw new IllegalArgumentException("segment digest '" + parts[i] + "' is not 16 hex digits");
      }
      digests.add(HexFormat.fromHexDigitsToLong(parts[i]));
    }
    return new SegmentDigests(size, digests);
  }
}
