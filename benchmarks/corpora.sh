# The benchmark corpora, built the same way for every script that sources this file:
# build_usr DIR (the bulk of /usr) and build_generated small|flat|big|million DIR.
build_usr() { # a real system tree: the bulk of /usr
  local d=$1 sub
  for sub in bin sbin include libexec share lib/x86_64-linux-gnu; do
    [ -d "/usr/$sub" ] && { mkdir -p "$d/$(dirname "$sub")"; cp -a "/usr/$sub" "$d/$sub"; }
  done
  # names v3 cannot store would make mkdaxfs refuse the tree; every tool gets the same input
  find "$d" -depth -regextype posix-extended -regex '.*/[^/]{129,}' -exec rm -rf {} + || true
}
build_generated() { # small | flat | big | million
  python3 - "$1" "$2" <<'PY'
import os, random, sys
kind, d = sys.argv[1], sys.argv[2]
rnd = random.Random(1)
def write(path, size):
    with open(path, "wb") as f:
        f.write(rnd.randbytes(size))
if kind == "small":      # 100,000 files of 0-8 KiB in 1,000 directories
    for i in range(1000):
        sub = os.path.join(d, "dir%04d" % i); os.makedirs(sub)
        for j in range(100):
            write(os.path.join(sub, "file%03d" % j), rnd.randrange(0, 8192))
elif kind == "flat":     # one directory of 50,000 files of 0-2 KiB
    os.makedirs(d)
    for j in range(50000):
        write(os.path.join(d, "f%05d" % j), rnd.randrange(0, 2048))
elif kind == "big":      # 20 files of 50 MiB
    os.makedirs(d)
    for j in range(20):
        with open(os.path.join(d, "big%02d" % j), "wb") as f:
            for _ in range(50):
                f.write(os.urandom(1 << 20))
elif kind == "million":  # 1,000,000 files of 0-64 bytes in 1,000 directories
    for i in range(1000):
        sub = os.path.join(d, "dir%04d" % i); os.makedirs(sub)
        for j in range(1000):
            write(os.path.join(sub, "file%04d" % j), rnd.randrange(0, 64))
PY
}
