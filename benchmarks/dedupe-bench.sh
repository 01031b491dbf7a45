#!/usr/bin/env bash
# Peak RSS and wall time of mkdaxfs --dedupe beside the same build without it, on a generated
# tree of 50,000 files (0-16 KiB, one in twenty 64-512 KiB; a third of them copies of another) in
# 500 directories. Rounds alternate the two builds, with a warm page cache; prints each run and
# the medians as a Markdown table.
#
#   benchmarks/dedupe-bench.sh [ROUNDS] [MKDAXFS]   # default 3 rounds, the checkout's bin/mkdaxfs
#
# SCRATCH (default /var/tmp/dedupe-bench) holds the tree (about 1 GB) and the image while timed.
# Needs python3 and GNU time (/usr/bin/time). Never run in CI: its numbers depend on the machine.
set -euo pipefail
root=$(cd "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")/.." && pwd)
rounds=${1:-3}
mkdaxfs=${2:-$root/bin/mkdaxfs}
scratch=${SCRATCH:-/var/tmp/dedupe-bench}
tree=$scratch/tree
mkdir -p "$scratch"
[ -x /usr/bin/time ] || { echo "dedupe-bench: GNU time (/usr/bin/time) is not installed" >&2; exit 1; }

if [ ! -f "$scratch/tree.done" ]; then
  rm -rf "$tree"
  python3 - "$tree" <<'PY'
import os, random, sys
d = sys.argv[1]
rnd = random.Random(1)
made = []
for i in range(500):
    sub = os.path.join(d, "dir%03d" % i)
    os.makedirs(sub)
    for j in range(100):
        path = os.path.join(sub, "file%03d" % j)
        if made and rnd.random() < 1 / 3:
            data = rnd.choice(made)          # a copy of an earlier file
        else:
            size = rnd.randrange(65536, 1 << 19) if rnd.random() < 0.05 else rnd.randrange(0, 16384)
            data = rnd.randbytes(size)
            if len(made) < 5000:
                made.append(data)
        with open(path, "wb") as f:
            f.write(data)
PY
  touch "$scratch/tree.done"
fi
files=$(find "$tree" -type f | wc -l)
bytes=$(du -sb "$tree" | cut -f1)
find "$tree" -type f -exec cat {} + >/dev/null   # warm the page cache

run() { # label, extra args...
  local label=$1; shift
  /usr/bin/time -f '%e %M' -o "$scratch/time" "$mkdaxfs" -q -d "$tree" -o "$scratch/image" "$@"
  read -r secs kib <"$scratch/time"
  echo "$label $secs $kib" | tee -a "$scratch/results"
  rm -f "$scratch/image"
}
: >"$scratch/results"
for ((r = 1; r <= rounds; r++)); do
  run plain
  run dedupe --dedupe
done
median() { sort -n | awk '{v[NR]=$1} END {print v[int((NR+1)/2)]}'; }
echo
echo "tree: $files files, $((bytes >> 20)) MiB; $rounds rounds; $(nproc) cores"
echo
echo "| build | median wall time | median peak RSS |"
echo "|---|---|---|"
for label in plain dedupe; do
  t=$(awk -v l=$label '$1==l {print $2}' "$scratch/results" | median)
  m=$(awk -v l=$label '$1==l {print $3}' "$scratch/results" | median)
  echo "| mkdaxfs -d${label/plain/}${label/dedupe/ --dedupe} | $t s | $((m / 1024)) MiB |" | sed 's/-dplain/-d/; s/-ddedupe --dedupe/-d --dedupe/'
done
