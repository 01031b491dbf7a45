package dev.daxfs.validate;

import dev.daxfs.format.FormatException;
import dev.daxfs.format.Image;
import dev.daxfs.format.ImageBytes;
import dev.daxfs.format.Structs;

/**
 * Checks a DAXFS v3 image against every rule of FORMAT.md ("Validity rules"). It only reads the
 * image, never recurses on image data, and takes time and memory linear in the image size.
 */
public final class Validator {
  private Validator() {}

  /** Checks the image held in {@code bytes} (a mapped file or device memory). */
  public static Report check(ImageBytes bytes, Options options) {
    Problems problems = new Problems(options);
    Image image;
    try {
      image = Image.open(bytes);
    } catch (FormatException e) {
      problems.add(Rule.TOTAL_SIZE, "superblock", 0, Structs.SUPERBLOCK.byteSize() + " bytes of superblock fields",
          bytes.size() + " bytes");
      return problems.report();
    }
    new Checker(image, options, problems).run();
    return problems.report();
  }

  /** Checks an opened image. */
  public static Report check(Image image, Options options) {
    return check(image.bytes(), options);
  }
}
