#!/usr/bin/env bash
# Boots Debian's 6.12 kernel under QEMU (TCG) with a busybox initramfs, shares the host's root
# read-only over 9p, and runs guest-checks.sh inside it with the host's JDK and the project's jars.
# The guest has its own /tmp (and /run), so the checkout and the JDK are shared as 9p shares of
# their own and seen at fixed guest paths (/run/daxfs/repo, /run/daxfs/jdk), and DAXFS_KO is
# copied into the initramfs: any checkout path works, one under /tmp or with spaces included.
# The serial console (the checks' output) goes to stdout.
# Usage: boot-guest.sh WORKDIR JAVA_HOME REPO_ROOT
# Exits 77 after a "SKIPPED: reason" line when something the guest needs cannot be had.
# DAXFS_KO=/path/daxfs.ko (optional, built for the guest's kernel) is loaded in the guest for the
# steps that need the real filesystem.
set -euo pipefail
work=$1 java_home=$2 repo=$3
here=$(dirname "$(readlink -f "$0")")
cache=${XDG_CACHE_HOME:-$HOME/.cache}/daxfs-tools/vm
modules=(netfs 9pnet 9pnet_virtio 9p device_dax dax_hmem)

skip() { echo "SKIPPED: $*"; exit 77; }

[ "$(uname -m)" = x86_64 ] || skip "the guest kernel is Debian's amd64 build; this host is $(uname -m)"
for tool in qemu-system-x86_64 cpio xz dpkg-deb apt-cache apt-get; do
  command -v "$tool" >/dev/null || skip "$tool is not installed (see .ci/packages.txt)"
done
busybox=/bin/busybox
[ -x "$busybox" ] && ! ldd "$busybox" >/dev/null 2>&1 || skip "no static $busybox (install busybox-static)"

# The newest 6.12 amd64 kernel apt knows: bookworm-security carries +deb12 builds, backports +bpo.
pkg=$(apt-cache pkgnames linux-image-6.12. | grep -E '^linux-image-6\.12\.[0-9]+\+(deb12|bpo)-amd64-unsigned$' \
  | sort -V | tail -1 || true)
if [ -n "${DAXFS_KO:-}" ]; then
  [ -f "$DAXFS_KO" ] || { echo "DAXFS_KO=$DAXFS_KO: no such file"; exit 1; }
  DAXFS_KO=$(readlink -f "$DAXFS_KO")
fi
for need in "$repo/vm-tests/src/test/vm/guest-checks.sh" "$java_home/bin/java"; do
  [ -e "$need" ] || { echo "boot-guest: $need does not exist on the host, so the guest cannot see it either"; exit 1; }
done
[ -n "$pkg" ] || skip "apt knows no linux-image-6.12.*-amd64-unsigned (needs bookworm-security or bookworm-backports)"
kernel=$cache/$pkg
if [ ! -f "$kernel/vmlinuz" ]; then
  mkdir -p "$cache"
  tmp=$(mktemp -d "$cache/download.XXXXXX")
  trap 'rm -rf "$tmp"' EXIT
  (cd "$tmp" && apt-get download "$pkg" >/dev/null 2>&1) || skip "apt-get download $pkg failed"
  dpkg-deb -x "$tmp"/*.deb "$tmp/root"
  mkdir -p "$tmp/kernel"
  cp "$tmp"/root/boot/vmlinuz-* "$tmp/kernel/vmlinuz"
  for m in "${modules[@]}"; do
    xz -dc "$(find "$tmp/root/lib/modules" -name "$m.ko.xz")" > "$tmp/kernel/$m.ko"
  done
  # Only the kernel and six modules are kept; another run may have cached them meanwhile.
  mv -T "$tmp/kernel" "$kernel" 2>/dev/null || true
  rm -rf "$tmp"
  trap - EXIT
fi

rm -rf "$work/initramfs"
mkdir -p "$work/initramfs"/{bin,proc,sys,dev,host,modules}
cp "$busybox" "$work/initramfs/bin/busybox"
for applet in sh mount mkdir insmod chroot poweroff echo cat sleep; do
  ln -s busybox "$work/initramfs/bin/$applet"
done
for m in "${modules[@]}"; do cp "$kernel/$m.ko" "$work/initramfs/modules/"; done
cp "$here/init" "$work/initramfs/init"
[ -z "${DAXFS_KO:-}" ] || cp "$DAXFS_KO" "$work/initramfs/daxfs.ko"
# An image the real kernel wrote (the steering repo's shared/kernel-images, beside the checkout, or
# DAXFS_KERNEL_IMAGES): copied in, or the host path looked at, for the guest to name.
images=${DAXFS_KERNEL_IMAGES:-$repo/../shared/kernel-images}
mkdir -p "$work/initramfs/kernel-images"
if [ -f "$images/remount-after-umount.daxfs.gz" ]; then
  cp "$images/remount-after-umount.daxfs.gz" "$work/initramfs/kernel-images/"
else
  echo "$(readlink -m "$images")/remount-after-umount.daxfs.gz" > "$work/initramfs/kernel-images/MISSING"
fi
chmod +x "$work/initramfs/init"
(cd "$work/initramfs" && find . | cpio -o -H newc --quiet | gzip -1) > "$work/initramfs.gz"

# RAM is 0-2G and 4G-6G with -m 4G on q35. 0x110000000: soft-reserved memory that dax_hmem turns
# into /dev/dax0.0; 0x120000000: a reserved range no driver claims, for /dev/mem.
# QEMU takes "," in an option value doubled.
share() { printf 'local,path=%s,mount_tag=%s,security_model=none,readonly=on,multidevs=remap' "${1//,/,,}" "$2"; }
echo "boot-guest: the guest sees $repo as /run/daxfs/repo and $java_home as /run/daxfs/jdk${DAXFS_KO:+, $DAXFS_KO as /run/daxfs/daxfs.ko}"
exec timeout --foreground -k 10 420 qemu-system-x86_64 \
  -accel tcg,thread=multi -M q35 -cpu max -smp 2 -m 4G \
  -display none -monitor none -serial stdio -no-reboot \
  -kernel "$kernel/vmlinuz" -initrd "$work/initramfs.gz" \
  -virtfs "$(share / hostroot)" -virtfs "$(share "$repo" daxfsrepo)" -virtfs "$(share "$java_home" daxfsjdk)" \
  -append "console=ttyS0 panic=-1 quiet memmap=256M%0x110000000-1+0xefffffff memmap=256M\$0x120000000"
