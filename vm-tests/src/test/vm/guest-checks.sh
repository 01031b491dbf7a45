#!/bin/bash
# Runs inside the guest (chrooted into the host's root): each step prints its command, output
# and exit code between markers the test parses.
repo=$1 java=$2
cd /tmp
step() { # step NAME COMMAND...
  local name=$1; shift
  echo "=== STEP $name"
  echo "\$ $*"
  "$@" 2>&1
  echo "=== EXIT $?"
}
step kernel uname -r
step heaps ls /dev/dma_heap
step java "$java" -version
step dax-devices ls /sys/bus/dax/devices
step bind-dax sh -c 'echo dax0.0 > /sys/bus/dax/drivers/device_dax/new_id && ls -l /dev/dax0.0 && cat /sys/bus/dax/devices/dax0.0/size /sys/bus/dax/devices/dax0.0/align'
step iomem grep -i -E 'reserved|soft|dax' /proc/iomem
