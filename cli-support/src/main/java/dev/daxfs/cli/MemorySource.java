package dev.daxfs.cli;

import dev.daxfs.cli.Sizes;
import dev.daxfs.nativemem.DevDax;
import dev.daxfs.nativemem.DmaBuf;
import dev.daxfs.nativemem.MappedMemory;
import dev.daxfs.nativemem.PhysicalMemory;
import java.io.IOException;
import java.nio.file.Path;
import picocli.CommandLine.Option;

/**
 * Options naming an image in memory, read-only: {@code --devdax DEVICE}, {@code --phys ADDR --size
 * SIZE} or {@code --dmabuf PID:FD}.
 */
public final class MemorySource {
  @Option(names = "--devdax", paramLabel = "DEVICE", description = "The image at the start of a devdax device.")
  Path devdax;

  @Option(names = "--phys", paramLabel = "ADDR", converter = Sizes.class,
      description = "The image at this physical address, read through /dev/mem (needs --size).")
  Long phys;

  @Option(names = "--size", paramLabel = "SIZE", converter = Sizes.class, description = "The size of the --phys range.")
  Long size;

  // A dma-buf lives only while some process holds it, so it is taken from the process holding it.
  @Option(names = "--dmabuf", paramLabel = "PID:FD",
      description = "The image in the dma-buf process PID holds as descriptor FD (needs ptrace access to PID).")
  String dmabuf;

  /** How many memory sources are named (more than 1 is a usage error). */
  public int count() {
    return (devdax != null ? 1 : 0) + (phys != null ? 1 : 0) + (dmabuf != null ? 1 : 0);
  }

  /** False when --phys comes without --size or --size without --phys. */
  public boolean sizeMatches() {
    return (phys != null) == (size != null);
  }

  /** The device, address or dma-buf, as messages name it. */
  public String name() {
    if (dmabuf != null) {
      return "dma-buf " + dmabuf;
    }
    return devdax != null ? devdax.toString() : String.format("0x%x", phys);
  }

  /**
   * Maps the named memory read-only; IllegalArgumentException for an address /dev/mem cannot serve
   * or a malformed PID:FD.
   */
  public MappedMemory map() throws IOException {
    return map(false);
  }

  /**
   * Maps the named memory, writable for a tool that rewrites the image in place (reclaim --force);
   * a dma-buf is only read (IllegalArgumentException): it belongs to the process that holds it.
   */
  public MappedMemory map(boolean writable) throws IOException {
    if (dmabuf != null) {
      if (writable) {
        throw new IllegalArgumentException("a dma-buf another process holds is only read here; copy the image"
            + " out with flatten, or rewrite devdax or /dev/mem images in place");
      }
      return mapDmaBuf();
    }
    return devdax != null ? DevDax.map(devdax, writable) : PhysicalMemory.map(phys, size, writable);
  }

  private MappedMemory mapDmaBuf() throws IOException {
    int colon = dmabuf.indexOf(':');
    long pid;
    int fd;
    try {
      pid = Long.parseLong(dmabuf.substring(0, Math.max(colon, 0)));
      fd = Integer.parseInt(dmabuf.substring(colon + 1));
    } catch (NumberFormatException e) {
      pid = fd = -1;
    }
    if (pid <= 0 || pid > Integer.MAX_VALUE || fd < 0) {
      throw new IllegalArgumentException("--dmabuf takes PID:FD (a process id and one of its descriptors), not '"
          + dmabuf + "'");
    }
    DmaBuf buffer = DmaBuf.ofProcess(pid, fd);
    try {
      return buffer.readOnlyView();
    } catch (IOException e) {
      buffer.close();
      throw e;
    }
  }
}
