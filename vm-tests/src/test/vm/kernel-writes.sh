#!/bin/sh
# Runs in the guest on a DAXFS branch mounted read-write at $1 (a tree with etc/motd and
# random.bin): one of each operation the kernel logs, then what the kernel itself shows, first
# from the inodes it has in memory, then re-read through its own log after the caches are dropped.
# The image is read back afterwards with daxfs-inspect, which must show the log's meaning.
cd "$1" || exit 1
set -e
echo "created by the kernel" > etc/created.txt
printf 'HELLO' | dd of=etc/motd conv=notrunc status=none
mkdir newdir
echo inner > newdir/inner.txt
mv etc/created.txt etc/renamed.txt
rm random.bin
set +e
for view in "in memory" "re-read from its log"; do
  echo "--- the kernel's view, $view"
  ls -a . etc newdir
  stat -c '%n %F %s %A' etc etc/motd etc/renamed.txt newdir newdir/inner.txt
  for f in etc/motd etc/renamed.txt newdir/inner.txt; do
    printf '%s: %s\n' "$f" "$(head -c 32 "$f" 2>&1 | tr '\n' '|')"
  done
  sync
  echo 3 > /proc/sys/vm/drop_caches
done
