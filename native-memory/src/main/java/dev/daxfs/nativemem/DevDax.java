package dev.daxfs.nativemem;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;

/**
 * A device-dax character device (/dev/daxX.Y). Its size and alignment come from sysfs: the device
 * file reports size 0, refuses read()/write(), and does not refuse a mapping longer than the
 * device (touching the excess faults), so the mapping is clamped here.
 */
public final class DevDax {
  private DevDax() {}

  /** Maps the whole device (rounded down to its alignment) with MAP_SHARED. */
  public static MappedMemory map(Path device, boolean writable) throws IOException {
    String path = device.toString();
    try (Fd fd = openDevice(path, writable)) {
      if (!LibC.fstat(fd.fd(), path).isCharacterDevice()) {
        throw new IOException(path + ": not a device-dax character device");
      }
      Path sysfs = Path.of("/sys/bus/dax/devices").resolve(device.getFileName().toString());
      long size = sysfsNumber(sysfs.resolve("size"), path);
      long align = sysfsNumber(sysfs.resolve("align"), path);
      long length = align > 0 ? size / align * align : size;
      if (length == 0) {
        throw new IOException(path + ": the device has no usable memory (size " + size + ", align " + align + ")");
      }
      // The mapping keeps its own reference to the device; the fd is not needed afterwards.
      return MappedMemory.map(fd, path, 0, length, writable);
    }
  }

  private static Fd openDevice(String path, boolean writable) throws SystemCallException {
    try {
      return Fd.open(path, (writable ? LibC.O_RDWR : LibC.O_RDONLY) | LibC.O_CLOEXEC);
    } catch (SystemCallException e) {
      throw switch (e.errno()) {
        case Errno.ENOENT -> e.explained("no such device-dax device; see /sys/bus/dax/devices");
        case Errno.EACCES, Errno.EPERM -> e.explained("the device is root's; run as root");
        // A soft-reserved range picked up by dax_hmem starts bound to no driver.
        case Errno.ENXIO -> e.explained("the device is bound to no driver: echo "
            + Path.of(path).getFileName() + " > /sys/bus/dax/drivers/device_dax/new_id");
        default -> e;
      };
    }
  }

  private static long sysfsNumber(Path file, String device) throws IOException {
    try {
      String text = Files.readString(file).trim();
      return text.startsWith("0x") ? Long.parseUnsignedLong(text.substring(2), 16) : Long.parseUnsignedLong(text);
    } catch (NoSuchFileException e) {
      throw new IOException(device + ": not a device-dax device (no " + file + ")");
    } catch (NumberFormatException e) {
      throw new IOException(file + ": not a number");
    }
  }
}
