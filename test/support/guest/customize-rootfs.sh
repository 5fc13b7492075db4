#!/bin/sh
# customize-rootfs.sh ROOT FILES — turns a minbase Debian tree into the test guest: busybox init
# (a getty on ttyS0, sshd, Ctrl+Alt+Del reboots), root logs in on the console without a password
# and over SSH by key only, and a non-root user `guest` with a home of its own.
set -eu
root=$1
files=$2

cp -R "$files/." "$root/"
chmod 755 "$root/etc/firedeck/rcS" "$root/etc/firedeck/rc.shutdown"
# busybox's init is the guest's init: it boots in well under a second under TCG, where
# sysvinit's rc scripts take a minute. reboot/poweroff/halt signal it.
for cmd in init reboot poweroff halt; do
  ln -sf /bin/busybox "$root/sbin/$cmd"
done
echo firedeck-guest > "$root/etc/hostname"
printf '127.0.0.1\tlocalhost\n127.0.1.1\tfiredeck-guest\n' > "$root/etc/hosts"
: > "$root/etc/resolv.conf"
chroot "$root" passwd -d root > /dev/null
chroot "$root" useradd --create-home --shell /bin/bash --uid 1000 --user-group --groups sudo guest
printf 'The Firedeck test guest user.\n' > "$root/home/guest/README"
chroot "$root" chown guest:guest /home/guest/README
rm -rf "$root/var/lib/apt/lists/"* "$root/var/cache/apt/"*.bin "$root/usr/share/doc/"* "$root/usr/share/man/"*
