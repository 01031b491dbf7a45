#!/bin/sh
# Writes the image the real v3 kernel left (remount-after-umount, see the steering repo's
# shared/kernel-images) to $1, or says which host path it was looked for at and exits 77.
dir=/run/daxfs/kernel-images
if [ -f $dir/MISSING ]; then
  echo "SKIPPED: no image written by the real kernel: $(cat $dir/MISSING) is not on the host (set DAXFS_KERNEL_IMAGES to its directory)"
  exit 77
fi
zcat $dir/remount-after-umount.daxfs.gz > "$1"
