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
STEPS
