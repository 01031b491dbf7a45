#!/usr/bin/env bash
# daxfsfuse's memory on one image: mounts it with bin/daxfsfuse, walks the metadata (find -ls),
# then reads every file (find -type f -exec cat {} +), and prints the server's peak (VmHWM) and
# resident set (VmRSS) after each step, with the step's wall time.
# Usage: benchmarks/fuse-memory.sh IMAGE   (e.g. the image of benchmarks/compare.sh's million input)
set -euo pipefail
root=$(cd "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")/.." && pwd)
image=$(readlink -f "$1")
mnt=$(mktemp -d "${TMPDIR:-/tmp}/fuse-memory.XXXXXX")
trap 'fusermount3 -u -z "$mnt" 2>/dev/null || true; rmdir "$mnt"' EXIT
"$root/bin/daxfsfuse" --version >/dev/null   # builds the jars first, outside the figures
"$root/bin/daxfsfuse" -f "$image" "$mnt" >/dev/null &
for _ in $(seq 600); do mountpoint -q "$mnt" && break; sleep 0.2; done
mountpoint -q "$mnt" || { echo "fuse-memory: $image did not mount" >&2; exit 1; }
pid=$(pgrep -f -n "daxfsfuse.jar -f $image")
memory() {
  awk -v what="$1" '/VmHWM/{h=$2} /VmRSS/{r=$2} END {printf "%-28s VmHWM %4d MiB, VmRSS %4d MiB\n", what, h/1024, r/1024}' \
    "/proc/$pid/status"
}
timed() { local s e; s=$(date +%s.%N); "$@" >/dev/null; e=$(date +%s.%N); printf '%.1f s' "$(echo "$e - $s" | bc)"; }
memory "mounted"
memory "after find -ls ($(timed find "$mnt" -ls))"
memory "after reading every file ($(timed sh -c 'find "$1" -type f -exec cat {} +' sh "$mnt"))"
fusermount3 -u "$mnt"
wait
