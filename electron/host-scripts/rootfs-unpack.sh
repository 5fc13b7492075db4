# rootfs-unpack.sh TREE SQUASHFS PUBKEY IMAGE — run as root (or under fakeroot) by
# rootfs-build.sh: unpacks SQUASHFS into TREE as it is (owners, modes, setuid bits, device nodes,
# links, xattrs), adds PUBKEY to root's authorized_keys (root owns /root/.ssh and the file), and
# makes the ext4 IMAGE from TREE, 256 MiB larger than its content.
# exits: 11 the squashfs cannot be unpacked, 12 mkfs.ext4 failed (both print the tool's message)
set -u
tree=$1 squash=$2 key=$3 image=$4
PATH="$PATH:/usr/sbin:/sbin"
if ! said=$(unsquashfs -n -d "$tree" "$squash" 2>&1 >/dev/null); then
  printf '%s\n' "$said" | tail -n 3 >&2
  exit 11
fi
set -e
mkdir -p -- "$tree/root/.ssh"
printf '%s\n' "$key" >> "$tree/root/.ssh/authorized_keys"
chown 0:0 "$tree/root/.ssh" "$tree/root/.ssh/authorized_keys"
chmod 700 "$tree/root/.ssh"
chmod 600 "$tree/root/.ssh/authorized_keys"
size=$(($(du -sm "$tree" | cut -f1) + 256))
if ! said=$(mkfs.ext4 -q -F -d "$tree" "$image" "${size}M" 2>&1); then
  printf '%s\n' "$said" | tail -n 3 >&2
  exit 12
fi
