package dev.daxfs.fsck;

import dev.daxfs.cli.Sizes;
import dev.daxfs.nativemem.DevDax;
import dev.daxfs.nativemem.MappedMemory;
import dev.daxfs.nativemem.PhysicalMemory;
import java.io.IOException;
import java.nio.file.Path;
import picocli.CommandLine.Option;

/** Options naming an image in memory, read-only: {@code --devdax DEVICE} or {@code --phys ADDR --size SIZE}. */
public final class MemorySource {
  @Option(names = "--devdax", paramLabel = "DEVICE", description = "The image at the start of a devdax device.")
  Path devdax;

  @Option(names = "--phys", paramLabel = "ADDR", converter = Sizes.class,
      description = "The image at this physical address, read through /dev/mem (needs --size).")
  Long phys;

  @Option(names = "--size", paramLabel = "SIZE", converter = Sizes.class, description = "The size of the --phys range.")
  Long size;

  /** How many memory sources are named (0, 1, or 2 when both --devdax and --phys are). */
  public int count() {
    return (devdax != null ? 1 : 0) + (phys != null ? 1 : 0);
  }

  /** False when --phys comes without --size or --size without --phys. */
  public boolean sizeMatches() {
    return (phys != null) == (size != null);
  }

  /** The device or address, as messages name it. */
  public String name() {
    return devdax != null ? devdax.toString() : String.format("0x%x", phys);
  }

  /** Maps the named memory read-only; IllegalArgumentException for an address /dev/mem cannot serve. */
  public MappedMemory map() throws IOException {
    return map(false);
  }

  /** Maps the named memory, writable for a tool that rewrites the image in place (reclaim --force). */
  public MappedMemory map(boolean writable) throws IOException {
    return devdax != null ? DevDax.map(devdax, writable) : PhysicalMemory.map(phys, size, writable);
  }
}
