#!/usr/bin/env bash
# daxfsfuse against squashfuse on the same trees: reading every file through the mount
# (find -type f -exec cat {} +) and walking the metadata (find -ls), each on a fresh mount, with
# the peak RSS of the FUSE server. The squashfs image is uncompressed (mksquashfs -noI -noD -noF
# -noX), so both servers only copy bytes. Corpora: 100,000 small files, and a copy of /usr/share.
# Everything is made under a fresh directory in /var/tmp and deleted at the end.
# Usage: benchmarks/fuse-bench.sh   (needs root or fuse access, mksquashfs, squashfuse)
set -euo pipefail
root=$(cd "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")/.." && pwd)
for tool in mksquashfs squashfuse fusermount3 mountpoint; do
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
# the workload on the mount, unmounts; prints "seconds peak-RSS-KiB peak-anonymous-RSS-KiB" (the
# peak RSS from the kernel's VmHWM; the anonymous part, without mapped image pages, sampled every 50 ms).
run() {
  local workload=$1; shift
  "$@" >/dev/null 2>"$work/server.log" &
  local server=$!
  for _ in $(seq 600); do
    mountpoint -q "$mnt" && break
    kill -0 "$server" 2>/dev/null || { cat "$work/server.log" >&2; exit 1; }
    sleep 0.05
  done
  echo 0 >"$work/anon"
  ( peak=0
    while kill -0 "$server" 2>/dev/null; do
      a=$(awk '/^RssAnon:/ { print $2 }' "/proc/$server/status" 2>/dev/null || echo 0)
      [ "${a:-0}" -le "$peak" ] || { peak=$a; echo "$peak" >"$work/anon"; }
      sleep 0.05
    done ) &
  local sampler=$!
  local t0 t1
  t0=$(date +%s.%N)
  case $workload in
    cat) find "$mnt" -type f -exec cat {} + >/dev/null ;;
    ls) find "$mnt" -ls >/dev/null ;;
  esac
  t1=$(date +%s.%N)
  local hwm
  hwm=$(awk '/^VmHWM:/ { print $2 }' "/proc/$server/status")
  fusermount3 -u "$mnt"
  wait "$server"
  wait "$sampler" || true
  echo "$(awk -v a="$t0" -v b="$t1" 'BEGIN { print b - a }') $hwm $(cat "$work/anon")"
  rm -f "$work/anon"
}

cell() { # "seconds s" for one workload
  awk '{ printf "%.2f s", $1 }' <<<"$1"
}

echo "| corpus | files | image MiB (daxfs / squashfs) | cat all: daxfsfuse | cat all: squashfuse | find -ls: daxfsfuse | find -ls: squashfuse | peak RSS MiB, (anonymous): daxfsfuse / squashfuse |"
echo "|---|---|---|---|---|---|---|---|"
for dir in "$small" "$system"; do
  name=$(basename "$dir")
  files=$(find "$dir" | wc -l)
  "$root/bin/mkdaxfs" -q -d "$dir" -o "$work/$name.daxfs"
  mksquashfs "$dir" "$work/$name.sqfs" -noI -noD -noF -noX -quiet -no-progress >/dev/null
  sizes="$(( $(stat -c %s "$work/$name.daxfs") >> 20 )) / $(( $(stat -c %s "$work/$name.sqfs") >> 20 ))"
  dcat=$(run cat "$root/bin/daxfsfuse" "$work/$name.daxfs" "$mnt" -f)
  scat=$(run cat squashfuse -f "$work/$name.sqfs" "$mnt")
  dls=$(run ls "$root/bin/daxfsfuse" "$work/$name.daxfs" "$mnt" -f)
  sls=$(run ls squashfuse -f "$work/$name.sqfs" "$mnt")
  peak() { printf '%s\n%s\n' "$1" "$2" | awk -v f="$3" '$f > m { m = $f } END { printf "%d", m / 1024 }'; }
  echo "| $name | $files | $sizes | $(cell "$dcat") | $(cell "$scat") | $(cell "$dls") | $(cell "$sls") |" \
    "$(peak "$dcat" "$dls" 2) ($(peak "$dcat" "$dls" 3)) / $(peak "$scat" "$sls" 2) ($(peak "$scat" "$sls" 3)) |"
  rm -f "$work/$name.daxfs" "$work/$name.sqfs"
done
