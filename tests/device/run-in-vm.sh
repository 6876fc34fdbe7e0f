#!/bin/bash
# SPDX-License-Identifier: GPL-3.0-or-later
# Runs one test binary inside a QEMU guest whose kernel has /dev/uinput and evdev, for the 'device' suite
# on machines (like the build hosts) whose own kernel has neither.
#   run-in-vm.sh /abs/path/to/test-binary [args...]
# The guest boots the Debian kernel from /boot (software emulation, -accel tcg: the hosts' /dev/kvm cannot
# run a stock kernel), with a small initramfs built here: busybox-static, the modules for virtio 9p, evdev
# and uinput. It mounts the host's / read-only over 9p, runs the binary in a chroot with the host's own
# libraries and build tree, and prints "RESULT n" as its last console line; this script exits with that n.
# Exit 77 (skip) when qemu, busybox-static or a kernel with its modules is missing.
# Packages: qemu-system-x86 linux-image-amd64 busybox-static cpio.
set -euo pipefail

if [ $# -lt 1 ]; then
  echo "usage: $0 TEST-BINARY [ARGS...]" >&2
  exit 2
fi
binary=$(realpath "$1")
shift

skip() {
  echo "1..0 # SKIP $*"
  exit 77
}

command -v qemu-system-x86_64 >/dev/null || skip "qemu-system-x86_64 not installed (qemu-system-x86)"
command -v cpio >/dev/null || skip "cpio not installed"
busybox=/bin/busybox
[ -x "$busybox" ] && { LC_ALL=C ldd "$busybox" 2>&1 || true; } | grep -q 'not a dynamic' || skip "no static busybox (busybox-static)"

# The kernel and its modules must be the same version; the running kernel's may not be installed at all.
kernel= kver=
for k in $(ls -1 /boot/vmlinuz-* 2>/dev/null | sort -rV || true); do
  v=${k#/boot/vmlinuz-}
  if [ -r "$k" ] && [ -n "$(find "/lib/modules/$v/kernel" -name 'uinput.ko*' 2>/dev/null | head -n1)" ]; then
    kernel=$k kver=$v
    break
  fi
done
kernel=${KIOSK_VM_KERNEL:-$kernel}
[ -n "$kernel" ] && [ -n "$kver" ] || skip "no readable /boot/vmlinuz-* with uinput.ko under /lib/modules (linux-image-amd64)"

work=$(mktemp -d "${TMPDIR:-/tmp}/linli-vm.XXXXXX")
trap 'rm -rf "$work"' EXIT
root=$work/initramfs
mkdir -p "$root"/{bin,dev,proc,sys,mnt,modules}
cp "$busybox" "$root/bin/busybox"

# Load order matters: each module after those it needs. Built-in ones are simply not found.
modules="virtio_ring virtio virtio_pci_legacy_dev virtio_pci_modern_dev virtio_pci 9pnet 9pnet_virtio netfs fscache 9p evdev uinput"
loaded=
for m in $modules; do
  f=$(find "/lib/modules/$kver/kernel" -name "$m.ko*" | head -n1)
  [ -n "$f" ] || continue
  case $f in
    *.ko.xz) xz -dc "$f" >"$root/modules/$m.ko" ;;
    *.ko.zst) zstd -qdc "$f" >"$root/modules/$m.ko" ;;
    *.ko.gz) gzip -dc "$f" >"$root/modules/$m.ko" ;;
    *) cp "$f" "$root/modules/$m.ko" ;;
  esac
  loaded="$loaded $m"
done

# The test's environment, as meson set it, carried into the guest.
{
  echo "cd $(printf '%q' "$PWD")"
  for var in G_DEBUG G_SLICE GSETTINGS_BACKEND LC_ALL TZ MALLOC_CHECK_ MALLOC_PERTURB_ G_TEST_SRCDIR \
    G_TEST_BUILDDIR KIOSK_SOURCE_ROOT KIOSK_BUILD_ROOT ASAN_OPTIONS UBSAN_OPTIONS LSAN_OPTIONS; do
    if [ -n "${!var+x}" ]; then
      echo "export $var=$(printf '%q' "${!var}")"
    fi
  done
  printf 'exec'
  printf ' %q' "$binary" "$@"
  echo
} >"$root/test.sh"

cat >"$root/init" <<EOF
#!/bin/busybox sh
/bin/busybox --install -s /bin
mount -t devtmpfs dev /dev
mount -t proc proc /proc
mount -t sysfs sys /sys
for m in $loaded; do
  insmod /modules/\$m.ko || echo "insmod \$m failed"
done
rc=125
if mount -t 9p -o trans=virtio,version=9p2000.L,ro,msize=262144 hostroot /mnt; then
  mount -t proc proc /mnt/proc
  mount -t sysfs sys /mnt/sys
  mount -t devtmpfs dev /mnt/dev
  mkdir -p /mnt/dev/pts /mnt/dev/shm
  mount -t devpts devpts /mnt/dev/pts
  # Scratch space under /run, not over /tmp: the build tree may live in /tmp.
  mount -t tmpfs run /mnt/run
  mkdir -p /mnt/run/tmp
  cp /test.sh /mnt/run/linli-test.sh
  chroot /mnt /usr/bin/env -i PATH=/usr/bin:/bin HOME=/run/tmp TMPDIR=/run/tmp /bin/sh /run/linli-test.sh
  rc=\$?
else
  echo "mounting the host's root over 9p failed"
fi
echo "RESULT \$rc"
poweroff -f
EOF
chmod +x "$root/init"
(cd "$root" && find . | cpio -o -H newc --quiet | gzip -1) >"$work/initrd.gz"

log=$work/console.log
status=0
timeout "${KIOSK_VM_TIMEOUT:-280}" qemu-system-x86_64 -accel tcg -m 768 -smp 1 -nographic -no-reboot \
  -kernel "$kernel" -initrd "$work/initrd.gz" -append "console=ttyS0 quiet panic=-1" \
  -virtfs local,path=/,mount_tag=hostroot,security_model=none,readonly=on,multidevs=remap \
  </dev/null >"$log" 2>&1 || status=$?
tr -d '\r' <"$log"

result=$(tr -d '\r' <"$log" | grep -a '^RESULT [0-9]*$' | tail -n1 | cut -d' ' -f2)
if [ -z "$result" ]; then
  echo "run-in-vm: no RESULT line from the guest (qemu exit $status, kernel $kver)" >&2
  exit 1
fi
exit "$result"
