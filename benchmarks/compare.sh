#!/usr/bin/env bash
# The whole comparison of issue 16 in one command: on each input, in one run, tools alternated
# round by round, outputs on tmpfs and on disk:
#   make:    mkdaxfs -d, tar -cf, mkfs.erofs, mksquashfs -noI -noD -noF -noX
#   archive: mkdaxfs -t, sqfstar -noI -noD -noF -noX, tar -xf (all reading the same tarball)
#   check:   daxfs-fsck, fsck.erofs (metadata), e2fsck -fn, each on its own image of the input
# Prints a Markdown table per output place: median wall time (min-max), median CPU (user+sys),
# median peak RSS, the ratio to the peer named in issue 16, and the load average during the run.
#
#   benchmarks/compare.sh [ROUNDS]     # default 3; INPUTS="usr small big flat" OUTS="tmpfs disk"
#   INPUTS=million TOOLS="mkdaxfs-d mkfs.erofs daxfs-fsck fsck.erofs" benchmarks/compare.sh 2
#                                      # only these tools (names with - for spaces): the 1,000,000-file
#                                      # input's squashfs and tar rounds take many minutes each
#   benchmarks/compare.sh summary      # the table of the results so far (of a run cut short)
#
# SCRATCH (default /var/tmp/daxfs-compare) holds the inputs (about 4 GB with tarballs), the
# images for the checks and the disk outputs; TMPFS (default /dev/shm/daxfs-compare) the tmpfs
# outputs. Inputs are built once and kept (delete SCRATCH when done). Never run in CI.
set -euo pipefail
root=$(cd "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")/.." && pwd)
scratch=${SCRATCH:-/var/tmp/daxfs-compare}
tmpfs=${TMPFS:-/dev/shm/daxfs-compare}
rounds=${1:-3}
read -r -a inputs <<<"${INPUTS:-usr small big flat}"
read -r -a outs <<<"${OUTS:-tmpfs disk}"
export PATH=$PATH:/usr/sbin:/sbin
mkdaxfs=$root/bin/mkdaxfs
fsck=$root/bin/daxfs-fsck
for t in tar mkfs.erofs fsck.erofs mksquashfs sqfstar mke2fs e2fsck python3 /usr/bin/time; do
  command -v "$t" >/dev/null || { echo "compare: $t is not installed (see .ci/packages.txt)" >&2; exit 1; }
done
mkdir -p "$scratch/in" "$scratch/tar" "$scratch/img" "$scratch/out" "$tmpfs"

. "$root/benchmarks/corpora.sh"   # build_usr, build_generated
prepare() { # the input, its tarball, and the three images the checks read
  local name=$1 d=$scratch/in/$1 files kib
  if [ ! -e "$scratch/in/.$name.done" ]; then
    echo "compare: building input $name ..." >&2
    rm -rf "$d"
    if [ "$name" = usr ]; then mkdir -p "$d"; build_usr "$d"; else build_generated "$name" "$d"; fi
    touch "$scratch/in/.$name.done"
  fi
  if [ ! -e "$scratch/tar/$name.tar" ]; then
    tar -cf "$scratch/tar/$name.tar.tmp" -C "$d" . && mv "$scratch/tar/$name.tar.tmp" "$scratch/tar/$name.tar"
  fi
  [ -e "$scratch/img/$name.daxfs" ] || "$mkdaxfs" -q -d "$d" -o "$scratch/img/$name.daxfs"
  if [ ! -e "$scratch/img/$name.erofs" ]; then
    mkfs.erofs --quiet "$scratch/img/$name.erofs.tmp" "$d" >/dev/null
    mv "$scratch/img/$name.erofs.tmp" "$scratch/img/$name.erofs"
  fi
  if [ ! -e "$scratch/img/$name.ext4" ]; then
    files=$(find "$d" | wc -l); kib=$(du -sk "$d" | cut -f1)
    mke2fs -q -F -t ext4 -N $((files + 1024)) -d "$d" "$scratch/img/$name.ext4.tmp" $((kib * 2 + 65536))k >/dev/null
    mv "$scratch/img/$name.ext4.tmp" "$scratch/img/$name.ext4"
  fi
}

# One timed run: appends "place input tool wall cpu rss_kib load1" to the results.
timed() {
  local place=$1 input=$2 tool=$3; shift 3
  local load
  load=$(cut -d' ' -f1 /proc/loadavg)
  /usr/bin/time -f "%e %U %S %M" -o "$scratch/time" "$@" >/dev/null 2>"$scratch/stderr" \
    || { echo "compare: $tool on $input failed:" >&2; cat "$scratch/stderr" >&2; exit 1; }
  read -r wall user sys rss <"$scratch/time"
  echo "$place $input ${tool// /_} $wall $(echo "$user + $sys" | bc) $rss $load" >>"$results"
}

read -r -a tools <<<"${TOOLS:-mkdaxfs-d mkfs.erofs tar-cf mksquashfs mkdaxfs-t sqfstar tar-xf daxfs-fsck fsck.erofs e2fsck-fn}"
wanted() { [[ " ${tools[*]} " == *" ${1// /} "* ]]; }
round() { # every wanted tool once on one input, writing to $out
  local place=$1 input=$2 out=$3 in=$scratch/in/$2 tarball=$scratch/tar/$2.tar
  run() { wanted "$1" || return 0; rm -rf "$out"; timed "$place" "$input" "$@"; }
  run "mkdaxfs -d" "$mkdaxfs" -q -d "$in" -o "$out"
  run "mkfs.erofs" mkfs.erofs --quiet "$out" "$in"
  run "tar -cf" tar -cf "$out" -C "$in" .
  run "mksquashfs" mksquashfs "$in" "$out" -noI -noD -noF -noX -no-progress -quiet
  run "mkdaxfs -t" "$mkdaxfs" -q -t "$tarball" -o "$out"
  run "sqfstar" sh -c 'exec sqfstar -noI -noD -noF -noX -no-progress -quiet "$1" <"$2"' sh "$out" "$tarball"
  wanted "tar -xf" && { rm -rf "$out"; mkdir "$out"; timed "$place" "$input" "tar -xf" tar -xf "$tarball" -C "$out"; }
  rm -rf "$out"
  run "daxfs-fsck" "$fsck" -q "$scratch/img/$input.daxfs"
  run "fsck.erofs" fsck.erofs "$scratch/img/$input.erofs"
  run "e2fsck -fn" e2fsck -fn "$scratch/img/$input.ext4"
}

results=$scratch/results.txt
if [ "$rounds" != summary ]; then
"$mkdaxfs" --version >/dev/null   # builds the jars on first use, outside the timings
"$fsck" --version >/dev/null
for i in "${inputs[@]}"; do prepare "$i"; done
: >"$results"
echo "compare: warming the page cache ..." >&2
for i in "${inputs[@]}"; do
  tar -cf - -C "$scratch/in/$i" . | cat >/dev/null
  cat "$scratch/tar/$i.tar" "$scratch/img/$i".* >/dev/null
done
for r in $(seq "$rounds"); do
  for place in "${outs[@]}"; do
    case $place in tmpfs) out=$tmpfs/out ;; disk) out=$scratch/out/out ;; *) echo "compare: OUTS: tmpfs or disk" >&2; exit 2 ;; esac
    for i in "${inputs[@]}"; do
      echo "compare: round $r/$rounds, $place: $i" >&2
      round "$place" "$i" "$out"
    done
  done
done
fi

python3 - "$results" "$scratch/in" <<'PY'
import os, statistics, sys, datetime
results, indir = sys.argv[1], sys.argv[2]
runs, order = {}, []
for line in open(results):
    place, input_, tool, wall, cpu, rss, load = line.split()
    key = (place, input_, tool.replace("_", " "))
    if key not in runs:
        order.append(key)
    runs.setdefault(key, []).append((float(wall), float(cpu), int(rss), float(load)))
peer = {"mkdaxfs -d": "mkfs.erofs", "mkdaxfs -t": "sqfstar", "daxfs-fsck": "fsck.erofs"}
def describe(d):
    files = size = 0
    for dirpath, dirs, names in os.walk(d):
        files += len(names)
        size += sum(os.lstat(os.path.join(dirpath, n)).st_size for n in names)
    return "%d files, %.1f GiB" % (files, size / 2**30) if size >= 2**30 else "%d files, %d MiB" % (files, size // 2**20)
loads = [r[3] for v in runs.values() for r in v]
print("%s, %d rounds, load average (1 min) %.1f-%.1f during the run." % (
    datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m-%d %H:%M UTC"),
    len(next(iter(runs.values()))), min(loads), max(loads)))
print("Cells: median wall time (min-max), median CPU time user+sys, median peak RSS; x = median wall")
print("time / the peer's (mkdaxfs -d / mkfs.erofs, mkdaxfs -t / sqfstar, daxfs-fsck / fsck.erofs), cpu x")
print("the same for CPU time.")
for place in dict.fromkeys(k[0] for k in order):
    print()
    print("Outputs on %s:" % place)
    print()
    print("| input | tool | wall | cpu | peak RSS | x peer (wall / cpu) |")
    print("|---|---|---|---|---|---|")
    for (p, i, t) in order:
        if p != place:
            continue
        r = runs[(p, i, t)]
        w = statistics.median(x[0] for x in r); c = statistics.median(x[1] for x in r)
        ratio = ""
        if t in peer and (p, i, peer[t]) in runs:
            q = runs[(p, i, peer[t])]
            pw = statistics.median(x[0] for x in q); pc = statistics.median(x[1] for x in q)
            ratio = "%.2f / %.2f" % (w / max(pw, 0.005), c / max(pc, 0.005))
        print("| %s | %s | %.2f s (%.2f-%.2f) | %.2f s | %d MiB | %s |" % (
            i + " (" + describe(os.path.join(indir, i)) + ")" if t == "mkdaxfs -d" else "", t, w,
            min(x[0] for x in r), max(x[0] for x in r), c, statistics.median(x[2] for x in r) // 1024, ratio))
PY
