#!/bin/bash
# Runs inside the guest (chrooted into the host's root, read-only, with a private /tmp). The steps
# run in one JVM (GuestSteps), which prints each command, its output and its exit code.
repo=$1 java=$2
here=$(dirname "$(readlink -f "$0")")
cd /tmp
mkdir -p tree/etc mnt dmnt
echo "hello from the guest" > tree/etc/motd
head -c 300000 /dev/urandom > tree/random.bin
ln -s etc/motd tree/motd
jars=$repo/vm-tests/target/test-classes:$repo/mkdaxfs/target/mkdaxfs.jar:$repo/daxfs-fsck/target/daxfs-fsck.jar
jars=$jars:$repo/daxfs-inspect/target/daxfs-inspect.jar
# How steps start another JVM (a dma-buf holder, the unprivileged steps), and where the helper scripts are.
export GUEST_JVM="$java -XX:+UseSerialGC -XX:TieredStopAtLevel=1 -XX:-UsePerfData --enable-native-access=ALL-UNNAMED -cp $jars"
export GUEST_VM_DIR=$here
# daxfsfuse runs as its own JVM: it is a server that outlives the step that mounts it.
export DAXFSFUSE="$java -XX:+UseSerialGC -XX:TieredStopAtLevel=1 -XX:-UsePerfData --enable-native-access=ALL-UNNAMED -jar $repo/daxfsfuse/target/daxfsfuse.jar"
exec $GUEST_JVM dev.daxfs.vm.GuestSteps <<'STEPS'
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
# daxfsfuse mounts the device (the branching image's main: the tree), as the kernel-less host would.
fuse-devdax-extract daxfs-inspect extract --devdax /dev/dax0.0 /tmp/x-devdax
fuse-devdax sh bash $GUEST_VM_DIR/fuse-compare.sh /tmp/x-devdax /tmp/tree --devdax /dev/dax0.0

# /dev/mem: a memmap=...$ range no driver claims works; RAM is refused.
phys-write mkdaxfs -d tree -p 0x120000000 -s 16M
phys-fsck daxfs-fsck --phys 0x120000000 --size 16M
phys-inspect daxfs-inspect cat --phys 0x120000000 --size 16M /etc/motd
fuse-phys-extract daxfs-inspect extract --phys 0x120000000 --size 16M /tmp/x-phys
fuse-phys sh bash $GUEST_VM_DIR/fuse-compare.sh /tmp/x-phys /tmp/tree --phys 0x120000000 --size 16M
phys-ram mkdaxfs -d tree -p 0x100000000 -s 16M
phys-corrupt sh printf 'XXXX' | dd of=/dev/mem bs=1 seek=$((0x120000000 + 4096)) conv=notrunc status=none
phys-fsck-corrupt daxfs-fsck --phys 0x120000000 --size 16M

# real daxfs module, dma-buf read side, permissions
# The module is upstream's, built out of tree for this kernel and named by DAXFS_KO; without it
# every with-daxfs step prints SKIPPED.
daxfs-module sh if [ -n "$DAXFS_KO" ]; then busybox insmod "$DAXFS_KO" && grep daxfs /proc/filesystems; else echo "SKIPPED: no daxfs module supplied (DAXFS_KO)"; fi
# A dma-buf mounted by mkdaxfs: the first mount is read-write (it creates branch main).
kmod-heap-mount with-daxfs mkdaxfs -d tree -H /dev/dma_heap/system -s 16M -w -m /tmp/mnt
kmod-heap-read with-daxfs sh cd /tmp && cmp tree/etc/motd mnt/etc/motd && cmp tree/random.bin mnt/random.bin && ls -a mnt mnt/etc && stat -c '%n %F %s %a' mnt/motd mnt/random.bin && grep ' /tmp/mnt ' /proc/mounts
kmod-heap-umount with-daxfs sh umount /tmp/mnt
# A static image mounted by physical address: read-only whatever is asked.
kmod-static-write with-daxfs mkdaxfs -d tree -p 0x120000000 -s 16M
kmod-static-mount with-daxfs sh mount -t daxfs -o phys=0x120000000,size=0x1000000 none /tmp/mnt && cmp tree/random.bin mnt/random.bin && cat mnt/etc/motd && grep ' /tmp/mnt ' /proc/mounts && ! touch mnt/new; rc=$?; umount /tmp/mnt; exit $rc
# A dma-buf held by another process (DmaBufHolder, which mounts it when the module is there):
# the tools take it with --dmabuf PID:FD, read from the argument file the holder writes.
holder-start sh { $GUEST_JVM dev.daxfs.vm.DmaBufHolder /dev/dma_heap/system /tmp/holder.args ${DAXFS_KO:+/tmp/dmnt} >/tmp/holder.log 2>&1 & } ; for i in $(seq 300); do [ -s /tmp/holder.args ] && break; sleep 1; done; cat /tmp/holder.args /tmp/holder.log; [ -s /tmp/holder.args ]
dmabuf-fsck daxfs-fsck @/tmp/holder.args
dmabuf-cat daxfs-inspect cat @/tmp/holder.args /etc/motd
fuse-dmabuf-extract daxfs-inspect extract @/tmp/holder.args /tmp/x-dmabuf
fuse-dmabuf sh bash $GUEST_VM_DIR/fuse-compare.sh /tmp/x-dmabuf - @/tmp/holder.args
dmabuf-no-process daxfs-fsck --dmabuf 2147483647:3
dmabuf-no-fd daxfs-fsck --dmabuf 1:99
dmabuf-not-a-buffer daxfs-fsck --dmabuf 1:0
# The kernel writes in branch main of the holder's buffer (main hands out inode numbers from 2,
# which collide with the base's: the kernel bug the format sheet lists); after umount the holder
# still holds the buffer for the tools.
kmod-dmabuf-write with-daxfs sh sh $GUEST_VM_DIR/kernel-writes.sh /tmp/dmnt
kmod-dmabuf-umount with-daxfs sh umount /tmp/dmnt
kmod-dmabuf-fsck with-daxfs daxfs-fsck @/tmp/holder.args
kmod-dmabuf-ls with-daxfs daxfs-inspect ls -l -R @/tmp/holder.args /
kmod-dmabuf-diff with-daxfs daxfs-inspect diff -b main @/tmp/holder.args
# devdax: the device's range mounted by physical address (upstream's phys=,size=); the kernel
# writes in a child branch (numbered after the base's inodes) and commits it into main.
kmod-devdax-write with-daxfs mkdaxfs -d tree --devdax /dev/dax0.0 -w
kmod-devdax-mount with-daxfs sh mount -t daxfs -o phys=$(cat /sys/bus/dax/devices/dax0.0/resource),size=0x10000000 none /tmp/mnt && mount -o remount,branch=feature,parent=main /tmp/mnt && grep ' /tmp/mnt ' /proc/mounts
kmod-devdax-change with-daxfs sh sh $GUEST_VM_DIR/kernel-writes.sh /tmp/mnt
kmod-devdax-commit with-daxfs sh mount -o remount,commit /tmp/mnt && grep ' /tmp/mnt ' /proc/mounts && umount /tmp/mnt
kmod-devdax-fsck with-daxfs daxfs-fsck --devdax /dev/dax0.0
kmod-devdax-ls with-daxfs daxfs-inspect ls -l -R --devdax /dev/dax0.0 /
kmod-devdax-cat with-daxfs daxfs-inspect cat --devdax /dev/dax0.0 /etc/renamed.txt
kmod-devdax-diff with-daxfs daxfs-inspect diff -b main --devdax /dev/dax0.0
kmod-dmesg with-daxfs sh dmesg --notime | grep -E '^daxfs|BUG:|Oops|RIP:'
# Without privileges: every target names its path and errno, and leaves nothing behind. The
# steps run in a JVM started as nobody; their markers nest inside this step's output.
unprivileged sh setpriv --reuid=65534 --regid=65534 --clear-groups $GUEST_JVM dev.daxfs.vm.GuestSteps < $GUEST_VM_DIR/unprivileged-steps
unprivileged-left sh find /tmp -user 65534
holder-stop sh kill $(cut -d' ' -f2 /tmp/holder.args | cut -d: -f1)

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
devdax-kernel-image sh sh $GUEST_VM_DIR/kernel-image.sh /tmp/kernel.img && python3 -c 'import mmap, os, sys; d = open("/tmp/kernel.img", "rb").read(); m = mmap.mmap(os.open("/dev/dax0.0", os.O_RDWR), 2 << 20); m[:len(d)] = d'
devdax-flatten daxfs-inspect flatten --devdax /dev/dax0.0 -b slot:1 -o /tmp/flat.img
devdax-flatten-ls daxfs-inspect ls -f /tmp/flat.img /newdir
devdax-reclaim-unforced daxfs-inspect reclaim --devdax /dev/dax0.0 --yes
devdax-reclaim-list daxfs-inspect reclaim --devdax /dev/dax0.0 --force
devdax-reclaim daxfs-inspect reclaim --devdax /dev/dax0.0 --force --yes
devdax-reclaim-fsck daxfs-fsck --devdax /dev/dax0.0
devdax-reclaim-again daxfs-inspect reclaim --devdax /dev/dax0.0 --force
phys-kernel-image sh sh $GUEST_VM_DIR/kernel-image.sh /tmp/kernel.img && dd if=/tmp/kernel.img of=/dev/mem bs=4096 seek=$((0x120000000 / 4096)) conv=notrunc status=none
phys-flatten daxfs-inspect flatten --phys 0x120000000 --size 16M -b slot:1 -o /tmp/flat-phys.img -w -D 1M
phys-reclaim daxfs-inspect reclaim --phys 0x120000000 --size 16M --force --yes
phys-reclaim-fsck daxfs-fsck --phys 0x120000000 --size 16M
STEPS
