#!/bin/bash
# Runs inside the guest (chrooted into the host's root, read-only, with a private /tmp). The steps
# run in one JVM (GuestSteps), which prints each command, its output and its exit code.
repo=$1 java=$2
cd /tmp
mkdir -p tree/etc mnt
echo "hello from the guest" > tree/etc/motd
head -c 300000 /dev/urandom > tree/random.bin
ln -s etc/motd tree/motd
jars=$repo/vm-tests/target/test-classes:$repo/mkdaxfs/target/mkdaxfs.jar:$repo/daxfs-fsck/target/daxfs-fsck.jar
jars=$jars:$repo/daxfs-inspect/target/daxfs-inspect.jar
exec "$java" -XX:+UseSerialGC -XX:TieredStopAtLevel=1 -XX:-UsePerfData --enable-native-access=ALL-UNNAMED \
  -cp "$jars" dev.daxfs.vm.GuestSteps <<'STEPS'
kernel sh uname -r
heaps sh ls /dev/dma_heap

# DMA heap: write into a dma-buf and validate in place; mounting needs the daxfs module.
heap-write mkdaxfs -d tree -H /dev/dma_heap/system -s 8M
heap-branching mkdaxfs -d tree -H /dev/dma_heap/system -s 16M -w
heap-mount mkdaxfs -d tree -H /dev/dma_heap/system -s 8M -m /tmp/mnt -w -V
heap-missing mkdaxfs -d tree -H /dev/dma_heap/nosuch -s 8M
heap-too-small mkdaxfs -d tree -H /dev/dma_heap/system -s 64K
heap-beyond-memory mkdaxfs -d tree -H /dev/dma_heap/system -s 64G

# devdax: dax_hmem's soft-reserved range starts bound to no driver.
devdax-unbound mkdaxfs -d tree --devdax /dev/dax0.0
bind-dax sh echo dax0.0 > /sys/bus/dax/drivers/device_dax/new_id && cat /sys/bus/dax/devices/dax0.0/size /sys/bus/dax/devices/dax0.0/align
devdax-write mkdaxfs -d tree --devdax /dev/dax0.0 -w
devdax-fsck daxfs-fsck --devdax /dev/dax0.0
devdax-inspect daxfs-inspect ls --devdax /dev/dax0.0 /etc

# /dev/mem: a memmap=...$ range no driver claims works; RAM is refused.
phys-write mkdaxfs -d tree -p 0x120000000 -s 16M
phys-fsck daxfs-fsck --phys 0x120000000 --size 16M
phys-inspect daxfs-inspect cat --phys 0x120000000 --size 16M /etc/motd
phys-ram mkdaxfs -d tree -p 0x100000000 -s 16M
phys-corrupt sh printf 'XXXX' | dd of=/dev/mem bs=1 seek=$((0x120000000 + 4096)) conv=notrunc status=none
phys-fsck-corrupt daxfs-fsck --phys 0x120000000 --size 16M

# device integrity and reclaim
integrity-keygen daxfs-inspect keygen -o /tmp/release
devdax-sign-needs-sig-file mkdaxfs -d tree --devdax /dev/dax0.0 --sign /tmp/release.key
devdax-sign mkdaxfs -d tree --devdax /dev/dax0.0 -w -D 1M --sign /tmp/release.key --sig-file /tmp/dax.sig
devdax-verify daxfs-fsck --devdax /dev/dax0.0 --verify-sig /tmp/dax.sig --key /tmp/release.pub
# devdax refuses write(2): one byte of the base's inode table (base at 36864 with -w) changes through a mapping.
devdax-tamper sh python3 -c 'import mmap, os; m = mmap.mmap(os.open("/dev/dax0.0", os.O_RDWR), 2 << 20); m[40970] ^= 1'
devdax-verify-tampered daxfs-fsck --devdax /dev/dax0.0 --verify-sig /tmp/dax.sig --key /tmp/release.pub
phys-sign mkdaxfs -d tree -p 0x120000000 -s 16M --sign /tmp/release.key --sig-file /tmp/phys.sig
phys-verify daxfs-fsck --phys 0x120000000 --size 16M --verify-sig /tmp/phys.sig --key /tmp/release.pub
phys-tamper sh printf 'X' | dd of=/dev/mem bs=1 seek=$((0x120000000 + 8202)) conv=notrunc status=none
phys-verify-tampered daxfs-fsck --phys 0x120000000 --size 16M --verify-sig /tmp/phys.sig --key /tmp/release.pub
# A dma-buf is freed when mkdaxfs exits: its signature verifies the same image built as a file.
heap-sign mkdaxfs -d tree -H /dev/dma_heap/system -s 8M --sign /tmp/release.key --sig-file /tmp/heap.sig
heap-twin mkdaxfs -d tree -o /tmp/heap-twin.img -s 8M
heap-sig-verifies-twin daxfs-fsck --verify-sig /tmp/heap.sig --key /tmp/release.pub /tmp/heap-twin.img
# An image the kernel left with three branches (two mounts, an aborted child), copied into devdax and /dev/mem.
devdax-kernel-image sh zcat "$DAXFS_REPO/../shared/kernel-images/remount-after-umount.daxfs.gz" | python3 -c 'import mmap, os, sys; d = sys.stdin.buffer.read(); m = mmap.mmap(os.open("/dev/dax0.0", os.O_RDWR), 2 << 20); m[:len(d)] = d'
devdax-flatten daxfs-inspect flatten --devdax /dev/dax0.0 -b slot:1 -o /tmp/flat.img
devdax-flatten-ls daxfs-inspect ls -f /tmp/flat.img /newdir
devdax-reclaim-unforced daxfs-inspect reclaim --devdax /dev/dax0.0 --yes
devdax-reclaim-list daxfs-inspect reclaim --devdax /dev/dax0.0 --force
devdax-reclaim daxfs-inspect reclaim --devdax /dev/dax0.0 --force --yes
devdax-reclaim-fsck daxfs-fsck --devdax /dev/dax0.0
devdax-reclaim-again daxfs-inspect reclaim --devdax /dev/dax0.0 --force
phys-kernel-image sh zcat "$DAXFS_REPO/../shared/kernel-images/remount-after-umount.daxfs.gz" | dd of=/dev/mem bs=4096 seek=$((0x120000000 / 4096)) conv=notrunc status=none
phys-flatten daxfs-inspect flatten --phys 0x120000000 --size 16M -b slot:1 -o /tmp/flat-phys.img -w -D 1M
phys-reclaim daxfs-inspect reclaim --phys 0x120000000 --size 16M --force --yes
phys-reclaim-fsck daxfs-fsck --phys 0x120000000 --size 16M
STEPS
