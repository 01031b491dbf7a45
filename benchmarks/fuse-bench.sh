#!/usr/bin/env bash
# daxfsfuse against squashfuse on the same trees: reading every file through the mount
# (find -type f -exec cat {} +) and walking the metadata (find -ls), each on a fresh mount, with
# the server's CPU time and memory. The squashfs image is uncompressed (mksquashfs -noI -noD -noF
# -noX), so both servers only copy bytes. Both squashfuse binaries run: squashfuse (libfuse's
# high-level API, multi-threaded) and squashfuse_ll (the low-level API, as daxfsfuse uses).
# Corpora: 100,000 small files, and a copy of /usr/share. Each workload runs ROUNDS times (default
# 3), the three servers alternating, and the table shows the median.
# Everything is made under a fresh directory in /var/tmp and deleted at the end.
# Usage: [ROUNDS=3] benchmarks/fuse-bench.sh   (needs root or fuse access, mksquashfs, squashfuse)
set -euo pipefail
rounds=${ROUNDS:-3}
root=$(cd "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")/.." && pwd)
for tool in mksquashfs squashfuse squashfuse_ll fusermount3 mountpoint; do
  command -v "$tool" >/dev/null || { echo "fuse-bench: $tool is not installed" >&2; exit 1; }
done
[ -e /dev/fuse ] || { echo "fuse-bench: /dev/fuse is missing" >&2; exit 1; }
work=$(mktemp -d /var/tmp/fuse-bench.XXXXXX)
mnt=$work/mnt
cleanup() {
  fusermount3 -u -z "$mnt" 2>/dev/null || true
  rm -rf "$work"
}
trap cleanup EXIT
mkdir -p "$mnt"

small=$work/small-100k   # 100 directories of 1,000 files of 64 bytes
mkdir -p "$small"
for d in $(seq -w 0 99); do
  mkdir "$small/d$d"
  head -c 64000 /dev/urandom | (cd "$small/d$d" && split -b 64 -a 3 -d - f)
done
system=$work/usr-share
cp -a /usr/share "$system"

"$root/bin/daxfsfuse" --version >/dev/null   # builds the jar on first use; warms the class-data archive

# Starts "$@" (a foreground FUSE server, the JVM itself for bin/daxfsfuse) in the background, runs
# the workload on the mount, unmounts; prints "seconds server-CPU-seconds RSS-MiB peak-RSS-MiB": the
# server's user+sys time (its start and the image check included) and its VmRSS and VmHWM read
# when the workload has ended.
run() {
  local workload=$1; shift
  "$@" >/dev/null 2>"$work/server.log" &
  local server=$!
  for _ in $(seq 600); do
    mountpoint -q "$mnt" && break
    kill -0 "$server" 2>/dev/null || { cat "$work/server.log" >&2; exit 1; }
    sleep 0.05
  done
  local t0 t1 cpu rss hwm
  t0=$(date +%s.%N)
  case $workload in
    cat) find "$mnt" -type f -exec cat {} + >/dev/null ;;
    ls) find "$mnt" -ls >/dev/null ;;
  esac
  t1=$(date +%s.%N)
  cpu=$(awk -v hz="$(getconf CLK_TCK)" '{ printf "%.2f", ($14 + $15) / hz }' "/proc/$server/stat")
  rss=$(awk '/^VmRSS:/ { printf "%d", $2 / 1024 }' "/proc/$server/status")
  hwm=$(awk '/^VmHWM:/ { printf "%d", $2 / 1024 }' "/proc/$server/status")
  fusermount3 -u "$mnt"
  wait "$server"
  echo "$(awk -v a="$t0" -v b="$t1" 'BEGIN { printf "%.2f", b - a }') $cpu $rss $hwm"
}

# The median of the rounds' lines in file $1: "seconds s (CPU s)" for the cell, and its memory.
median() { sort -n "$1" | awk -v n="$rounds" 'NR == int((n + 1) / 2) { printf "%s s (%s)", $1, $2 }'; }
memory() { sort -n -k4 "$1" | tail -1 | awk '{ printf "%d / %d", $3, $4 }'; }

servers=(daxfsfuse squashfuse squashfuse_ll)
echo "| corpus | files | image MiB (daxfs / squashfs) | workload | daxfsfuse | squashfuse | squashfuse_ll | RSS at end / peak MiB: daxfsfuse, squashfuse, squashfuse_ll |"
echo "|---|---|---|---|---|---|---|---|"
for dir in "$small" "$system"; do
  name=$(basename "$dir")
  files=$(find "$dir" | wc -l)
  "$root/bin/mkdaxfs" -q -d "$dir" -o "$work/$name.daxfs"
  mksquashfs "$dir" "$work/$name.sqfs" -noI -noD -noF -noX -quiet -no-progress >/dev/null
  sizes="$(( $(stat -c %s "$work/$name.daxfs") >> 20 )) / $(( $(stat -c %s "$work/$name.sqfs") >> 20 ))"
  for workload in cat ls; do
    for s in "${servers[@]}"; do : >"$work/$s.$workload"; done
    for _ in $(seq "$rounds"); do
      run "$workload" "$root/bin/daxfsfuse" "$work/$name.daxfs" "$mnt" -f >>"$work/daxfsfuse.$workload"
      run "$workload" squashfuse -f "$work/$name.sqfs" "$mnt" >>"$work/squashfuse.$workload"
      run "$workload" squashfuse_ll -f "$work/$name.sqfs" "$mnt" >>"$work/squashfuse_ll.$workload"
    done
    case $workload in cat) label="cat all" ;; ls) label="find -ls" ;; esac
    row="| $name | $files | $sizes | $label"
    for s in "${servers[@]}"; do row+=" | $(median "$work/$s.$workload")"; done
    mem=
    for s in "${servers[@]}"; do mem+="${mem:+, }$(memory "$work/$s.$workload")"; done
    echo "$row | $mem |"
  done
  rm -f "$work/$name.daxfs" "$work/$name.sqfs"
done
echo "load average at the end: $(cut -d' ' -f1-3 /proc/loadavg)"
