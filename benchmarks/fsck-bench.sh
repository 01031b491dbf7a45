#!/usr/bin/env bash
# daxfs-fsck against fsck.erofs and e2fsck -fn on the same trees: wall time and peak RSS of one
# run each (metadata checks only for all three: fsck.erofs without --extract, e2fsck -n).
# Usage: benchmarks/fsck-bench.sh [WORKDIR]   (needs mkfs.erofs, mke2fs, /usr/bin/time)
set -euo pipefail
root=$(cd "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")/.." && pwd)
work=${1:-$(mktemp -d)}
mkdir -p "$work"
for tool in mkfs.erofs fsck.erofs mke2fs e2fsck /usr/bin/time; do
  command -v "$tool" >/dev/null || PATH=$PATH:/usr/sbin:/sbin command -v "$tool" >/dev/null \
    || { echo "fsck-bench: $tool is not installed" >&2; exit 1; }
done
export PATH=$PATH:/usr/sbin:/sbin

# Inputs: 100,000 small files (100 directories of 1,000 files of 64 bytes), and copies of parts of /usr.
inputs=()
small=$work/small-100k
if [ ! -d "$small" ]; then
  mkdir -p "$small"
  for d in $(seq -w 0 99); do
    mkdir "$small/d$d"
    head -c 64000 /dev/urandom | (cd "$small/d$d" && split -b 64 -a 3 -d - f)
  done
fi
inputs+=("$small")
for part in /usr/include /usr/lib/python3.11 /usr/share/doc; do
  [ -d "$part" ] || continue
  copy=$work/usr-$(basename "$part")
  [ -d "$copy" ] || cp -a "$part" "$copy"
  inputs+=("$copy")
done

"$root/bin/daxfs-fsck" --version >/dev/null   # builds the jar on first use; warms the class-data archive

measure() { # one run of the command: "wall s (cpu s), peak MiB"; its own output is discarded
  local out
  out=$(mktemp)
  /usr/bin/time -o "$out" -f '%e %U %S %M' "$@" >/dev/null 2>&1 || true
  awk '{ printf "%.2f s (cpu %.2f s), %d MiB", $1, $2 + $3, $4 / 1024 }' "$out"
  rm -f "$out"
}

echo "| input | files | daxfs-fsck | fsck.erofs | e2fsck -fn |"  # each: wall time (cpu time), peak RSS
echo "|---|---|---|---|---|"
for dir in "${inputs[@]}"; do
  name=$(basename "$dir")
  files=$(find "$dir" | wc -l)
  kib=$(du -sk "$dir" | cut -f1)
  "$root/bin/mkdaxfs" -q -d "$dir" -o "$work/$name.daxfs"
  mkfs.erofs --quiet "$work/$name.erofs" "$dir" >/dev/null 2>&1
  rm -f "$work/$name.ext4"
  mke2fs -q -F -t ext4 -N $((files + 1024)) -d "$dir" "$work/$name.ext4" $((kib * 2 + 65536))k >/dev/null 2>&1
  "$root/bin/daxfs-fsck" -q "$work/$name.daxfs" || { echo "fsck-bench: $name.daxfs is not valid" >&2; exit 1; }
  echo "| $name | $files | $(measure "$root/bin/daxfs-fsck" "$work/$name.daxfs") | $(measure fsck.erofs "$work/$name.erofs") | $(measure e2fsck -fn "$work/$name.ext4") |"
done
