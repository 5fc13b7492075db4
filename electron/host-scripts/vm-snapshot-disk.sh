# vm-snapshot-disk.sh DIR NAME CREATED_AT — completes the snapshot NAME of the run directory DIR
# once Firecracker wrote its memory and state (the VM is still paused): a copy of the VM's own
# disk (reflinked where the filesystem can, sparse elsewhere) and of its disk facts, and `info`
# with the time. Prints the snapshot's size on disk in KiB. A VM that boots its image (made
# before VMs had their own disk) gets no disk copy: there is nothing of its own to keep.
# Exits: 4 no such snapshot (memory and state missing), 7 the copy failed (nothing half-made kept).
set -u
umask 077
dir=$1 snap="$1/snapshots/$2" created=$3
[ -f "$snap/state" ] && [ -f "$snap/mem" ] || exit 4
if [ -f "$dir/rootfs.ext4" ]; then
  if ! cp --reflink=auto --sparse=always -- "$dir/rootfs.ext4" "$snap/rootfs.ext4.part"; then
    rm -f -- "$snap/rootfs.ext4.part"
    exit 7
  fi
  mv -f -- "$snap/rootfs.ext4.part" "$snap/rootfs.ext4"
  [ ! -f "$dir/disk" ] || cp -- "$dir/disk" "$snap/disk"
fi
printf '%s\n' "$created" > "$snap/info"
du -sk -- "$snap" | awk '{ print $1 }'
