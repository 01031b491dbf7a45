package dev.daxfs.format;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Delta logs: what the builder encodes decodes to the same values, and logs end as the kernel ends them. */
class DeltaLogTest {
  private static final int AT = 100;   // logs start mid-image: entry offsets are absolute

  private static List<DeltaEntry> decode(byte[] log, long size, long capacity) {
    byte[] image = new byte[AT + Math.max(log.length, (int) Math.min(capacity, 4096))];
    System.arraycopy(log, 0, image, AT, log.length);
    List<DeltaEntry> out = new ArrayList<>();
    new DeltaLog(ImageBytes.of(image), AT, size, capacity).forEach(out::add);
    return out;
  }

  @Test
  void everyEntryTypeDecodesToWhatWasEncoded() {
    byte[] log = new DeltaLogBuilder().timestamp(77)
        .write(9, 104, new byte[] {1, 2, 3})
        .create(1, 9, 0100600, Node.name("new.txt"))
        .mkdir(1, 10, 040755, Node.name("d"))
        .delete(2, 4, Node.name("motd"))
        .truncate(7, 3000)
        .rename(2, 10, 4, Node.name("small"), Node.name("small-renamed"))
        .setattr(9, 0, 1234, 5678, Format.ATTR_UID | Format.ATTR_GID, 0)
        .symlink(10, 11, Node.name("biglink"), Node.name("../data/big"))
        .toByteArray();
    List<DeltaEntry> e = decode(log, log.length, log.length);
    assertEquals(8, e.size());
    long at = AT;
    for (DeltaEntry x : e) {
      assertEquals(at, x.at());
      at += x.totalSize();
    }
    assertEquals(AT + log.length, at);
    var w = (DeltaEntry.Write) e.get(0);
    assertEquals(List.of(9L, 104L, 3L, 77L), List.of(w.ino(), w.offset(), w.length(), w.timestamp()));
    assertEquals(AT + 24 + 16, w.dataAt());
    assertEquals(24 + 16 + 3, w.totalSize());
    var c = (DeltaEntry.Create) e.get(1);
    assertEquals(List.of(9L, 1L, 9L, 0100600L), List.of(c.ino(), c.parentIno(), c.newIno(), (long) c.mode()));
    assertArrayEquals(Node.name("new.txt"), c.name());
    var m = (DeltaEntry.Mkdir) e.get(2);
    assertEquals(List.of(10L, 040755L), List.of(m.newIno(), (long) m.mode()));
    var d = (DeltaEntry.Delete) e.get(3);
    assertEquals(List.of(4L, 2L), List.of(d.ino(), d.parentIno()));
    assertArrayEquals(Node.name("motd"), d.name());
    assertEquals(3000, ((DeltaEntry.Truncate) e.get(4)).newSize());
    var r = (DeltaEntry.Rename) e.get(5);
    assertEquals(List.of(2L, 10L, 4L), List.of(r.oldParent(), r.newParent(), r.renamedIno()));
    assertArrayEquals(Node.name("small"), r.oldName());
    assertArrayEquals(Node.name("small-renamed"), r.newName());
    var s = (DeltaEntry.SetAttr) e.get(6);
    assertEquals(List.of(1234, 5678, Format.ATTR_UID | Format.ATTR_GID), List.of(s.uid(), s.gid(), s.valid()));
    var l = (DeltaEntry.Symlink) e.get(7);
    assertArrayEquals(Node.name("biglink"), l.name());
    assertArrayEquals(Node.name("../data/big"), l.target());
    assertEquals(24 + 24 + 7 + 11 + 1, l.totalSize());
    assertEquals(84L, e.get(7).timestamp());
  }

  @Test
  void aZeroTotalSizeEndsTheLogEvenBeforeItsSize() {
    byte[] one = new DeltaLogBuilder().truncate(7, 1).toByteArray();
    byte[] log = Arrays.copyOf(one, one.length + 64);   // then a zero header, then garbage
    Arrays.fill(log, one.length + 24, log.length, (byte) 0x55);
    assertEquals(1, decode(log, log.length, log.length).size());
  }

  @Test
  void aHeaderIsReadEvenWhenFewerThan24UsedBytesRemain() {
    // Like the kernel: a zero total_size in a short tail ends the log...
    byte[] one = new DeltaLogBuilder().truncate(7, 1).toByteArray();
    assertEquals(1, decode(Arrays.copyOf(one, one.length + 10), one.length + 10, 65536).size());
    // ...and an entry starting below the size may reach past it, up to the capacity.
    byte[] two = new DeltaLogBuilder().truncate(7, 1).truncate(8, 2).toByteArray();
    List<DeltaEntry> e = decode(two, one.length + 1, 65536);
    assertEquals(2, e.size());
    assertEquals(8, e.get(1).ino());
  }

  @Test
  void anEntryPastTheCapacityIsRefusedAtItsOffset() {
    byte[] two = new DeltaLogBuilder().truncate(7, 1).truncate(8, 2).toByteArray();
    FormatException e = assertThrows(FormatException.class,
        () -> decode(two, two.length, two.length - 1));
    assertEquals(AT + two.length / 2, e.offset());
    assertEquals("delta entry", e.structure());
  }

  @Test
  void brokenEntriesAreRefusedAtTheirOffset() {
    byte[] ok = new DeltaLogBuilder().truncate(7, 1).toByteArray();
    int second = ok.length;
    byte[] log = Arrays.copyOf(ok, ok.length * 2);
    System.arraycopy(ok, 0, log, second, ok.length);
    ByteBuffer b = ByteBuffer.wrap(log).order(ByteOrder.LITTLE_ENDIAN);
    b.putInt(second, 9);                       // unknown type
    assertEquals(AT + second, assertThrows(FormatException.class, () -> decode(log, log.length, log.length)).offset());
    b.putInt(second, Format.DELTA_TRUNCATE).putInt(second + 4, 23);   // smaller than a header
    assertEquals(AT + second, assertThrows(FormatException.class, () -> decode(log, log.length, log.length)).offset());
    b.putInt(second, Format.DELTA_WRITE).putInt(second + 4, 32);      // write payload needs 16 bytes
    assertEquals(AT + second, assertThrows(FormatException.class, () -> decode(log, log.length, log.length)).offset());
    byte[] name = new DeltaLogBuilder().create(1, 9, 0100644, Node.name("abc")).toByteArray();
    ByteBuffer.wrap(name).order(ByteOrder.LITTLE_ENDIAN).putShort(24 + 20, (short) 4);   // name_len past the entry
    assertEquals(AT, assertThrows(FormatException.class, () -> decode(name, name.length, name.length)).offset());
  }
}
