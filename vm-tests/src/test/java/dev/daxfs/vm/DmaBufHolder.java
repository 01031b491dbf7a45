package dev.daxfs.vm;

import dev.daxfs.format.Content;
import dev.daxfs.format.ImageLayout;
import dev.daxfs.format.ImageSpec;
import dev.daxfs.format.ImageWriter;
import dev.daxfs.format.Node;
import dev.daxfs.nativemem.DaxfsMount;
import dev.daxfs.nativemem.DmaBuf;
import dev.daxfs.nativemem.DmaHeap;
import dev.daxfs.nativemem.MappedMemory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;

/**
 * Runs in the guest as its own process: allocates a dma-buf from a heap, writes a branching image
 * into it with the library, optionally mounts it read-write, then writes "--dmabuf PID:FD" to a
 * file (an argument file the tools read with @FILE) and holds the buffer until it is killed. The
 * buffer outlives an unmount because this process still holds it, so the tools can read back what
 * the kernel wrote.
 * Usage: DmaBufHolder HEAP ARGS_FILE [MOUNTPOINT]
 */
final class DmaBufHolder {
  private DmaBufHolder() {}

  public static void main(String[] args) throws Exception {
    // The shape of the guest's tree (etc/motd, random.bin), so kernel-writes.sh works on both.
    byte[] motd = "hello from the holder\n".getBytes(StandardCharsets.UTF_8);
    byte[] data = new byte[20000];
    Arrays.fill(data, (byte) 'd');
    Node.Directory root = new Node.Directory(new byte[0], 0755, 0, 0, List.of(
        new Node.Directory(Node.name("etc"), 0755, 0, 0, List.of(
            new Node.File(Node.name("motd"), 0644, 0, 0, motd.length, Content.of(motd)))),
        new Node.File(Node.name("random.bin"), 0644, 0, 0, data.length, Content.of(data))));
    ImageLayout layout = ImageLayout.plan(root, ImageSpec.branching(1 << 20));
    DmaBuf buffer = DmaHeap.allocate(Path.of(args[0]), layout.imageSize());
    try (MappedMemory memory = buffer.map(); DmaBuf.CpuAccess access = buffer.beginCpuAccess(true)) {
      ImageWriter.write(layout, memory.segment(), ImageWriter.Progress.NONE);
    }
    if (args.length > 2) {
      DaxfsMount.mount(buffer, Path.of(args[2]), true, true);
    }
    Files.writeString(Path.of(args[1]), "--dmabuf " + ProcessHandle.current().pid() + ":" + buffer.fd() + "\n");
    Thread.sleep(Long.MAX_VALUE);
  }
}
