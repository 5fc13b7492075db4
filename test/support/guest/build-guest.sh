#!/bin/sh
# build-guest.sh OUT — builds the real test guest from Debian packages into the directory OUT
# (which must not exist yet):
#   OUT/bzImage          Debian's cloud kernel (linux-image-*-cloud-amd64), as packaged
#   OUT/initrd.gz        a busybox initramfs: virtio modules, `ip=`, root mount, switch_root
#   OUT/rootfs.squashfs  Debian bookworm (mmdebstrap, minbase) with openssh-server, sudo, a getty
#                        on ttyS0 and busybox init
#   OUT/kernel-release   the kernel's `uname -r`
# Needs root, network access to the Debian archive, and: apt-get, dpkg-deb, mmdebstrap,
# busybox-static, mksquashfs. Run under a lock by test/support/real-guest.ts, which turns the
# kernel and initramfs into the test kernel file the emulator boots under QEMU.
set -eu

out=$1
here=$(cd "$(dirname "$0")" && pwd)
work=$out.work
rm -rf "$work"
# The initramfs has no libraries: its busybox must be busybox-static's.
if ldd /bin/busybox > /dev/null 2>&1; then
  echo '/bin/busybox is dynamically linked: install busybox-static' >&2
  exit 1
fi
mkdir -p "$work"

step() {
  printf '== %s (%s)\n' "$1" "$(date +%H:%M:%S)"
}

# --- kernel -------------------------------------------------------------------------------------
step 'kernel package'
kernel_pkg() {
  apt-cache depends linux-image-cloud-amd64 2>/dev/null | sed -n 's/^ *Depends: \(linux-image-[0-9][^ ]*-cloud-amd64\)$/\1/p' | head -n 1
}
pkg=$(kernel_pkg)
if [ -z "$pkg" ]; then
  apt-get update -qq
  pkg=$(kernel_pkg)
fi
[ -n "$pkg" ] || { echo 'no linux-image-*-cloud-amd64 package found' >&2; exit 1; }
(cd "$work" && apt-get download -q "$pkg")
dpkg-deb -x "$work/${pkg}"_*.deb "$work/kernel"
release=${pkg#linux-image-}
moddir=$work/kernel/lib/modules/$release/kernel

# --- initramfs ----------------------------------------------------------------------------------
step 'initramfs'
ird=$work/initramfs
mkdir -p "$ird/bin" "$ird/lib/modules" "$ird/dev" "$ird/proc" "$ird/sys" "$ird/newroot"
cp /bin/busybox "$ird/bin/busybox"
cp "$here/initramfs-init" "$ird/init"
chmod 755 "$ird/init"
# The cloud kernel builds virtio as modules. Order them by their `depends=` fields, so that each
# module comes after the ones it needs (busybox insmod resolves nothing by itself).
wanted='virtio_ring virtio virtio_mmio virtio_blk failover net_failover virtio_net'
for m in $wanted; do
  f=$(find "$moddir" -name "$m.ko")
  [ -n "$f" ] || { echo "module $m not found in $pkg" >&2; exit 1; }
  cp "$f" "$ird/lib/modules/"
done
order=''
for _pass in 1 2 3 4 5 6 7 8; do
  for m in $wanted; do
    case " $order " in *" $m "*) continue ;; esac
    deps=$(busybox strings "$ird/lib/modules/$m.ko" | sed -n 's/^depends=//p' | tr ',' ' ')
    ready=yes
    for d in $deps; do
      case " $order " in *" $d "*) ;; *) ready=no ;; esac
    done
    [ "$ready" = yes ] && order="$order $m"
  done
done
for m in $wanted; do
  case " $order " in *" $m "*) ;; *) echo "cannot order module $m: a dependency is missing" >&2; exit 1 ;; esac
done
# shellcheck disable=SC2086 # one module name per line
printf '%s\n' $order > "$ird/lib/modules/order"
(cd "$ird" && find . | busybox cpio -o -H newc 2>/dev/null) | gzip -9 > "$work/initrd.gz"

# --- root filesystem ----------------------------------------------------------------------------
step 'root filesystem (mmdebstrap)'
mmdebstrap --quiet --variant=minbase --include=openssh-server,sudo,busybox,iproute2,procps,iputils-ping \
  bookworm "$work/rootfs"
step 'root filesystem (customize)'
sh "$here/customize-rootfs.sh" "$work/rootfs" "$here/rootfs-files"
mksquashfs "$work/rootfs" "$work/rootfs.squashfs" -noappend -quiet -no-progress -comp gzip

mkdir -p "$out.new"
cp "$work/kernel/boot/vmlinuz-$release" "$out.new/bzImage"
mv "$work/initrd.gz" "$out.new/initrd.gz"
mv "$work/rootfs.squashfs" "$out.new/rootfs.squashfs"
printf '%s\n' "$release" > "$out.new/kernel-release"
mv "$out.new" "$out"
rm -rf "$work"
step 'done'
