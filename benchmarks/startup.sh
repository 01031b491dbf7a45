#!/usr/bin/env bash
# Startup of whole processes: `daxfs-fsck` on a 10-file image and `mkdaxfs --help`, as the source
# tree's launchers run them, as plain `java -jar` runs them, and as the Debian package runs them
# (its own runtime image and AOT caches), next to fsck.erofs on an EROFS image of the same tree.
# Needs hyperfine, jq and erofs-utils, and the package staged by `mvn -Pdist package`.
# Usage: benchmarks/startup.sh [RUNS]   (prints Markdown tables: wall time, then CPU time)
set -euo pipefail
root=$(cd "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")/.." && pwd)
runs=${1:-30}
stage=$root/distribution/target/deb
[ -x "$stage/usr/bin/daxfs-fsck" ] || { echo "startup.sh: no staged package; run: mvn -Pdist package" >&2; exit 1; }
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

mkdir -p "$work/tree/etc"
for i in $(seq 1 10); do printf 'file %d\n' "$i" >"$work/tree/etc/file-$i"; done
"$root/bin/mkdaxfs" -q -d "$work/tree" -o "$work/tiny.daxfs"
mkfs.erofs --quiet "$work/tiny.erofs" "$work/tree"

# The package's launcher command, pointed at the staged copy (where its AOT caches were made).
packaged() {
  sed -n '/^exec /{s|^exec ||; s|"\$@"||; s|/usr/lib/daxfs-tools|'"$stage"'/usr/lib/daxfs-tools|g; p}' "$stage/usr/bin/$1"
}
jdk25() {
  local j v
  for j in ${JAVA_HOME:+"$JAVA_HOME/bin/java"} /usr/lib/jvm/*/bin/java; do
    v=$(sed -n 's/^JAVA_VERSION="\([0-9]*\).*/\1/p' "${j%/bin/java}/release" 2>/dev/null || true)
    if [ "${v:-0}" -ge 25 ]; then echo "$j"; return; fi
  done
  echo "startup.sh: no JDK >= 25" >&2; exit 1
}
java=$(jdk25)

"$root/bin/daxfs-fsck" -q "$work/tiny.daxfs"   # let the launcher write its class-data archive
"$root/bin/mkdaxfs" --help >/dev/null

hyperfine -N --warmup 3 --runs "$runs" --style basic --export-markdown "$work/table.md" --export-json "$work/runs.json" \
  -n "fsck.erofs (EROFS, same 10 files)" "fsck.erofs $work/tiny.erofs" \
  -n "daxfs-fsck: java -jar" "$java -jar $root/daxfs-fsck/target/daxfs-fsck.jar $work/tiny.daxfs" \
  -n "daxfs-fsck: bin/daxfs-fsck" "$root/bin/daxfs-fsck $work/tiny.daxfs" \
  -n "daxfs-fsck: package" "$(packaged daxfs-fsck) $work/tiny.daxfs" \
  -n "mkdaxfs --help: java -jar" "$java -jar $root/mkdaxfs/target/mkdaxfs.jar --help" \
  -n "mkdaxfs --help: bin/mkdaxfs" "$root/bin/mkdaxfs --help" \
  -n "mkdaxfs --help: package" "$(packaged mkdaxfs) --help" >&2
cat "$work/table.md"
# CPU per run tells more than wall time on a busy machine.
echo
echo '| Command | User [ms] | System [ms] |'
echo '|:---|---:|---:|'
jq -r '.results[] | "| `\(.command)` | \(.user * 1000 | round) | \(.system * 1000 | round) |"' "$work/runs.json"
