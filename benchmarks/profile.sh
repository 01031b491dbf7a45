#!/usr/bin/env bash
# Where the time of one run goes: runs a tool of this tree under JFR (sampling every 10 ms) and
# /usr/bin/time, then prints CPU time, GC and JIT totals and the samples per phase (the first
# frame of ours on each sampled stack, mapped to scan / plan / copy / digest / check / start).
#   benchmarks/profile.sh mkdaxfs -d DIR -o OUT      benchmarks/profile.sh daxfs-fsck IMAGE
set -euo pipefail
root=$(cd "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")/.." && pwd)
tool=$1; shift
jar=$root/$tool/target/$tool.jar
java=$(ls -d /usr/lib/jvm/*25*/bin/java 2>/dev/null | head -1)
[ -x "$java" ] || java=java
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
/usr/bin/time -f '%e %U %S %M' -o "$work/time" "$java" -XX:+UseSerialGC -XX:-UsePerfData \
  -XX:StartFlightRecording=filename="$work/rec.jfr",settings=profile -Xlog:disable -XX:+UnlockDiagnosticVMOptions -XX:+CITime \
  -jar "$jar" "$@" >"$work/stdout" 2>"$work/stderr" || true
read -r wall user sys rss <"$work/time"
echo "wall ${wall} s, cpu $(echo "$user + $sys" | bc) s (user $user, sys $sys), peak RSS $((rss / 1024)) MiB, load $(cut -d' ' -f1 /proc/loadavg)"
jfr=$(dirname "$java")/jfr
"$jfr" print --events jdk.ExecutionSample,jdk.NativeMethodSample --stack-depth 200 "$work/rec.jfr" >"$work/samples.txt"
"$jfr" print --events jdk.GarbageCollection "$work/rec.jfr" | awk '/sumOfPauses/{gsub(/[^0-9.]/,"",$3); s+=$3} END{printf "  GC pauses: %.0f ms\n", s}'
sed -n 's/^ *C[12] {speed.*//; s/^ *Total compilation time *: *\([0-9.]*\) s.*/  JIT: \1 s of compilation on the compiler threads/p' "$work/stdout" | head -1
python3 - "$work/samples.txt" <<'PY'
import collections, re, sys
phases = [  # first match on the stack, innermost frame first, wins
    ("digest", ("DigestingSink.hash", "DigestingSink.zeros", "MessageDigest", "ImageDigest.update", "SHA2")),
    ("copy", ("SourceFile.copyTo", "ImageSink", "DigestingSink.write", "DigestingSink.transferFrom", "Spool", "SmallFiles")),
    ("scan", ("DirectoryTree", "TarReader", "ArchiveTree", "SourceFile.of")),
    ("plan", ("ImageLayout.plan", "Dedupe")),
    ("write metadata", ("ImageWriter.writeTo", "Inode.encode", "Dirent.encode")),
    ("check", ("dev.daxfs.fsck", "dev.daxfs.validate", "BranchView", "Replay", "TreeCheck")),
    ("start", ("picocli", "Mkdaxfs.main", "Fsck.main", "ClassLoader", "<clinit>")),
]
events = re.split(r"jdk\.(?:ExecutionSample|NativeMethodSample)", open(sys.argv[1]).read())
counts, top = collections.Counter(), collections.Counter()
for e in events[1:]:
    frames = re.findall(r"^\s+([\w$.<>]+)\(", e, re.M)
    if not frames:
        continue
    phase = "other (JDK, idle)"
    for name, keys in phases:
        if any(k in f for f in frames for k in keys):
            phase = name
            break
    counts[phase] += 1
    top[frames[0]] += 1
total = sum(counts.values()) or 1
print("  samples: %d (Java code every 10 ms, threads in native code every 20 ms)" % total)
for p, n in counts.most_common():
    print("    %-18s %5d  %3d%%" % (p, n, 100 * n // total))
print("  top frames:")
for f, n in top.most_common(8):
    print("    %5d  %s" % (n, f))
PY
