#!/bin/bash
# Mounts an image with daxfsfuse in the background (as users run it), compares the mount with the
# tree daxfs-inspect extracted from the same source and, unless "-", with the source tree: file
# contents and symlink targets (diff -r), then type, mode, owner and file size (find); unmounts
# with fusermount3 -u and checks that no mount and no server are left behind.
# Usage: fuse-compare.sh EXTRACTED TREE|- DAXFSFUSE-SOURCE-ARGS...   ($DAXFSFUSE starts daxfsfuse)
# The whole comparison runs under a watchdog: a read or an unmount that never returns ends this
# step (with what every process was waiting in) instead of stalling the guest until its timeout.
if [ -z "${FUSE_COMPARE_WATCHED:-}" ]; then
  FUSE_COMPARE_WATCHED=1 timeout -k 10 180 bash "$0" "$@"
  rc=$?
  if [ $rc = 124 ] || [ $rc = 137 ]; then
    echo "fuse-compare: no end after 180 s; processes and where they wait:"
    for d in /proc/[0-9]*; do
      [ -r "$d/cmdline" ] || continue
      cmd=$(tr '\0' ' ' <"$d/cmdline" 2>/dev/null)
      [ -n "$cmd" ] || continue
      echo "${d#/proc/} $(cut -d' ' -f3 "$d/stat" 2>/dev/null) $(cat "$d/wchan" 2>/dev/null) ${cmd:0:120}"
      case $cmd in *daxfsfuse*|*diff*|*fusermount*|*find*) cat "$d/stack" 2>/dev/null ;; esac
    done
    fusermount3 -u -z /tmp/fmnt 2>/dev/null
    pkill -9 -f daxfsfuse.jar
  fi
  exit $rc
fi
extracted=$1 tree=$2; shift 2
mnt=/tmp/fmnt
mkdir -p $mnt
$DAXFSFUSE $mnt "$@" || { echo "daxfsfuse exited with $?"; exit 1; }
grep ' /tmp/fmnt ' /proc/self/mountinfo | sed 's/.* - //'
# Directory sizes differ between file systems (a DAXFS directory's is its dirent array's).
listing() { (cd "$1" && find . -mindepth 1 \( -type d -printf '%p %M %U:%G\n' -o -printf '%p %M %U:%G %s\n' \) | sort); }
rc=0
for want in "$extracted" "$tree"; do
  [ "$want" = - ] && continue
  # Files, not <(...): the guest's /dev has no /dev/fd.
  listing "$want" >/tmp/fuse-want.txt
  listing $mnt >/tmp/fuse-mounted.txt
  if diff -r --no-dereference "$want" $mnt && diff /tmp/fuse-want.txt /tmp/fuse-mounted.txt; then
    echo "same as $want: $(listing $mnt | wc -l) entries"
  else
    rc=1
  fi
done
listing $mnt
fusermount3 -u $mnt || rc=1
for _ in $(seq 100); do pgrep -f daxfsfuse.jar >/dev/null || break; sleep 0.1; done
if grep -q ' /tmp/fmnt ' /proc/self/mountinfo; then echo "still mounted"; rc=1; fi
if pgrep -f daxfsfuse.jar; then echo "a server is left"; rc=1; fi
[ $rc != 0 ] || echo "unmounted, no server left"
exit $rc
