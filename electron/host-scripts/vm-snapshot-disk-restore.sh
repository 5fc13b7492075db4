# vm-snapshot-disk-restore.sh SOURCE NAME TARGET — gives the run directory TARGET a copy of the
# disk kept with the snapshot NAME of the run directory SOURCE, as its own rootfs.ext4 (with its
# disk facts): a new VM's disk (restore as new VM) or the VM's own, replaced (roll back, with
# Firecracker stopped). The snapshot keeps its copy, so it can be restored again.
# Exits: 4 the snapshot has no disk copy (it was taken of a VM that booted its image), 7 the
# copy failed (TARGET's disk is left as it was).
set -u
umask 077
snap="$1/snapshots/$2" target=$3
[ -f "$snap/rootfs.ext4" ] || exit 4
if ! cp --reflink=auto --sparse=always -- "$snap/rootfs.ext4" "$target/rootfs.ext4.part" || ! chmod 600 -- "$target/rootfs.ext4.part"; then
  rm -f -- "$target/rootfs.ext4.part"
  exit 7
fi
mv -f -- "$target/rootfs.ext4.part" "$target/rootfs.ext4"
[ ! -f "$snap/disk" ] || cp -- "$snap/disk" "$target/disk"
