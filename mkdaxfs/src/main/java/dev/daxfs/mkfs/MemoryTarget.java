package dev.daxfs.mkfs;

import dev.daxfs.cli.Sizes;
import dev.daxfs.format.Image;
import dev.daxfs.format.ImageBytes;
import dev.daxfs.format.ImageLayout;
import dev.daxfs.format.ImageWriter;
import dev.daxfs.validate.Options;
import dev.daxfs.validate.Report;
import dev.daxfs.validate.Validator;
import dev.daxfs.nativemem.DaxfsMount;
import dev.daxfs.nativemem.DevDax;
import dev.daxfs.nativemem.DmaBuf;
import dev.daxfs.nativemem.DmaHeap;
import dev.daxfs.nativemem.MappedMemory;
import dev.daxfs.nativemem.PhysicalMemory;
import java.io.IOException;
import java.lang.foreign.MemorySegment;
import java.nio.file.Path;

/**
 * Writes a planned image into memory instead of a file: a dma-buf from a DMA heap (mounted with
 * -m), a devdax device, or a physical range through /dev/mem. Each image is validated in place
 * before anything can mount it; an image that does not validate has its superblock cleared. Each
 * method returns the image's digest (and signature, with --sign) and, for the user, what was done
 * and how to use it.
 */
final class MemoryTarget {
  private MemoryTarget() {}

  /** What was written: its digest (and signature), and the note for the user. */
  record Written(SignOption.Sealed sealed, String note) {}

  static Written heap(ImageLayout layout, Path heap, Path mountpoint, boolean writable, boolean validate,
      ImageWriter.Progress progress, SignOption sign) throws IOException {
    try (DmaBuf buffer = DmaHeap.allocate(heap, layout.imageSize())) {
      SignOption.Sealed sealed;
      // Sealed before the mount, so that what is signed is what was written and validated.
      try (MappedMemory memory = buffer.map(); DmaBuf.CpuAccess access = buffer.beginCpuAccess(true)) {
        sealed = writeAndValidate(layout, memory.segment(), "dma-buf from " + heap, progress, sign);
      }
      if (mountpoint == null) {
        return new Written(sealed, "wrote and validated " + Sizes.human(buffer.size()) + " in a dma-buf from " + heap
            + "; it is freed when mkdaxfs exits: add -m DIR to mount it (the mount keeps the buffer), or write to"
            + " memory that outlives the process with --devdax or -p");
      }
      // The first mount of a branching image must be read-write: it creates branch "main".
      DaxfsMount.mount(buffer, mountpoint, writable, validate);
      return new Written(sealed, "mounted on " + mountpoint + (writable ? " read-write" : " read-only")
          + (validate ? ", validated by the kernel" : "") + "; unmount with umount " + mountpoint
          + " to free the buffer");
    }
  }

  static Written devdax(ImageLayout layout, Path device, ImageWriter.Progress progress, SignOption sign)
      throws IOException {
    try (MappedMemory memory = DevDax.map(device, true)) {
      requireRoom(layout, memory, device.toString());
      SignOption.Sealed sealed = writeAndValidate(layout, memory.segment(), device.toString(), progress, sign);
      memory.flush();
      return new Written(sealed, "wrote and validated the image at offset 0 of " + device + " ("
          + Sizes.human(memory.segment().byteSize()) + " usable)");
    }
  }

  static Written phys(ImageLayout layout, long address, long size, boolean writable, ImageWriter.Progress progress,
      SignOption sign) throws IOException {
    String where = String.format("physical range 0x%x", address);
    try (MappedMemory memory = PhysicalMemory.map(address, size, true)) {
      requireRoom(layout, memory, where);
      SignOption.Sealed sealed = writeAndValidate(layout, memory.segment(), where, progress, sign);
      return new Written(sealed, String.format("wrote and validated the image at physical address 0x%x; mount it with"
          + " mount -t daxfs -o phys=0x%x,size=0x%x%s none DIR", address, address, size, writable ? ",rw" : ""));
    }
  }

  private static void requireRoom(ImageLayout layout, MappedMemory memory, String where) throws IOException {
    if (layout.imageSize() > memory.segment().byteSize()) {
      throw new IOException(where + ": the image needs " + layout.imageSize() + " bytes but only "
          + memory.segment().byteSize() + " are there");
    }
  }

  /** Writes, validates in place, then digests (and with --sign signs) the image as it is in memory. */
  private static SignOption.Sealed writeAndValidate(ImageLayout layout, MemorySegment memory, String where,
      ImageWriter.Progress progress, SignOption sign) throws IOException {
    ImageWriter.write(layout, memory, progress);
    MemorySegment image = memory.asSlice(0, layout.imageSize());
    Report report = Validator.check(new ImageBytes(image), Options.of(layout.imageSize()));
    if (!report.valid(false)) {
      // Nothing may mount what failed: without a superblock magic the kernel refuses it.
      image.asSlice(0, Math.min(4096, image.byteSize())).fill((byte) 0);
      throw new IOException(where + ": the image written does not validate: " + report.problems().getFirst());
    }
    return sign.seal(Image.open(new ImageBytes(image)));
  }
}
