package dev.daxfs.format;

/**
 * What kind of image to lay out: static (superblock + base) or branching (+ branch table and a
 * delta region of {@code deltaSize} bytes). {@code fixedSize}, when not 0, is the exact total
 * size: the tree must fit, a static image is padded to it and a branching image's delta region
 * takes everything after the base.
 */
public record ImageSpec(boolean branching, long deltaSize, long fixedSize) {
  public ImageSpec {
    if (deltaSize < 0 || fixedSize < 0) {
      throw new IllegalArgumentException("negative size");
    }
    if (branching && fixedSize == 0 && deltaSize < Format.KERNEL_LOG_CAPACITY) {
      throw new IllegalArgumentException("delta region of " + deltaSize + " bytes cannot hold the "
          + Format.KERNEL_LOG_CAPACITY + "-byte log the kernel carves for main on mount");
    }
  }

  public static ImageSpec staticImage() { return new ImageSpec(false, 0, 0); }

  public static ImageSpec branching(long deltaSize) { return new ImageSpec(true, deltaSize, 0); }

  public ImageSpec withFixedSize(long size) { return new ImageSpec(branching, deltaSize, size); }
}
