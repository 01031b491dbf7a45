#!/usr/bin/env bash
# mkdaxfs against the tools people use instead, on the same inputs, in one run, alternating the
# tools round by round, with a warm page cache. Prints a Markdown table of median wall time and
# median peak RSS (/usr/bin/time -f %M) per input and tool.
#
#   benchmarks/mkdaxfs-bench.sh [ROUNDS]      # default 3 rounds; inputs are built once and kept
#   benchmarks/mkdaxfs-bench.sh million       # peak RSS of mkdaxfs on a 1,000,000-file tree
#
# SCRATCH (default /var/tmp/mkdaxfs-bench) holds the inputs (about 5 GB with the tarballs) and
# the images while they are timed. Needs GNU tar, mkfs.erofs, mksquashfs, python3.
# Never run in CI: it takes minutes and its numbers depend on the machine.
set -euo pipefail
root=$(cd "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")/.." && pwd)
scratch=${SCRATCH:-/var/tmp/mkdaxfs-bench}
mkdaxfs=$root/bin/mkdaxfs
mkdir -p "$scratch/in" "$scratch/tar" "$scratch/out"

need() { command -v "$1" >/dev/null || { echo "mkdaxfs-bench: $1 is not installed" >&2; exit 1; }; }
for t in tar mkfs.erofs mksquashfs python3 /usr/bin/time; do need "$t"; done

# Inputs: each built once (a marker file says it is complete), then its tarball.
. "$root/benchmarks/corpora.sh"   # build_usr, build_generated
input() {
  local name=$1 d=$scratch/in/$1
  if [ ! -e "$scratch/in/.$name.done" ]; then
    echo "building input $name ..." >&2
    rm -rf "$d"
    if [ "$name" = usr ]; then mkdir -p "$d"; build_usr "$d"; else build_generated "$name" "$d"; fi
    touch "$scratch/in/.$name.done"
  fi
  if [ "$name" != million ] && [ ! -e "$scratch/tar/$name.tar" ]; then
    tar -cf "$scratch/tar/$name.tar" -C "$d" .
  fi
}

# One timed run: appends "input tool seconds rss_kib" to the results file.
timed() {
  local input=$1 tool=$2; shift 2
  local out=$scratch/out/image
  rm -rf "$out"
  /usr/bin/time -f "%e %M" -o "$scratch/out/time" "$@" >/dev/null 2>"$scratch/out/stderr" \
    || { echo "mkdaxfs-bench: $tool on $input failed:" >&2; cat "$scratch/out/stderr" >&2; exit 1; }
  echo "$input $tool $(cat "$scratch/out/time")" >> "$results"
  rm -rf "$out"
}

run_tools() {
  local input=$1 in=$scratch/in/$1 tarball=$scratch/tar/$1.tar out=$scratch/out/image
  timed "$input" mkdaxfs        "$mkdaxfs" -q -d "$in" -o "$out"
  timed "$input" "tar -cf"      tar -cf "$out" -C "$in" .
  timed "$input" mkfs.erofs     mkfs.erofs --quiet "$out" "$in"
  timed "$input" mksquashfs     mksquashfs "$in" "$out" -noI -noD -noF -noX -no-progress -quiet
  timed "$input" "mkdaxfs --tar" "$mkdaxfs" -q -t "$tarball" -o "$out"
}

if [ "${1:-}" = million ]; then
  input million
  [ -f "$root/mkdaxfs/target/mkdaxfs.jar" ] || "$mkdaxfs" --version >/dev/null
  /usr/bin/time -f "%e s, peak RSS %M KiB" "$mkdaxfs" -d "$scratch/in/million" -o "$scratch/out/image"
  rm -f "$scratch/out/image"
  exit 0
fi

rounds=${1:-3}
inputs=(usr small big flat)
for i in "${inputs[@]}"; do input "$i"; done
"$mkdaxfs" --version >/dev/null   # builds the jar on first use, outside the timings
results=$scratch/out/results.txt
: > "$results"
echo "warming the page cache ..." >&2
for i in "${inputs[@]}"; do
  tar -cf - -C "$scratch/in/$i" . | cat > /dev/null
  cat "$scratch/tar/$i.tar" > /dev/null
done
for r in $(seq "$rounds"); do
  for i in "${inputs[@]}"; do
    echo "round $r/$rounds: $i" >&2
    run_tools "$i"
  done
done

python3 - "$results" "$scratch/in" "${inputs[@]}" <<'PY'
import os, statistics, sys
results, indir, inputs = sys.argv[1], sys.argv[2], sys.argv[3:]
tools = ["mkdaxfs", "tar -cf", "mkfs.erofs", "mksquashfs", "mkdaxfs --tar"]
runs = {}
for line in open(results):
    *key, secs, rss = line.split()
    input_, tool = key[0], " ".join(key[1:])
    runs.setdefault((input_, tool), []).append((float(secs), int(rss)))
def describe(d):
    files = size = 0
    for dirpath, dirs, names in os.walk(d):
        files += len(names)
        size += sum(os.lstat(os.path.join(dirpath, n)).st_size for n in names)
    return "%d files, %.1f GiB" % (files, size / 2**30) if size >= 2**30 else "%d files, %d MiB" % (files, size // 2**20)
n = len(next(iter(runs.values())))
print("Median of %d runs per cell: wall time / peak RSS." % n)
print()
print("| input | " + " | ".join(tools) + " |")
print("|---|" + "---|" * len(tools))
for i in inputs:
    cells = []
    for t in tools:
        r = runs[(i, t)]
        cells.append("%.2f s / %d MiB" % (statistics.median(s for s, _ in r), statistics.median(m for _, m in r) // 1024))
    print("| %s (%s) | %s |" % (i, describe(os.path.join(indir, i)), " | ".join(cells)))
PY
