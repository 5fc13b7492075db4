# vm-disk-create.sh DIR IMAGE BYTES — gives the run directory DIR a root disk of its own:
# rootfs.ext4, a copy of IMAGE (reflinked where the filesystem can, sparse elsewhere), grown to
# BYTES when larger (0: the image's size). IMAGE is only ever read. Its checksum is checked
# first against IMAGE.sha256 (what the wizard or an import recorded) when there is one (a match is
# remembered in .IMAGE.checked beside it until the image file changes). The
# disk's facts go into DIR/disk: "SHA256 BYTES" of the image and the disk (discovery reads it).
# Exits: 3 IMAGE is not a readable file, 4 checksum mismatch (prints RECORDED ACTUAL),
# 5 not enough free disk (prints NEEDED_KIB FREE_KIB), 6 BYTES is smaller than IMAGE (prints its
# size), 7 the copy failed, 8 growing failed (prints the tool's message).
set -u
umask 077
PATH="$PATH:/usr/sbin:/sbin"
dir=$1 image=$2 bytes=$3
[ -f "$image" ] && [ -r "$image" ] || exit 3
recorded=
if [ -r "$image.sha256" ]; then
  read -r recorded < "$image.sha256"
  recorded=${recorded%% *}
fi
# Hashing reads the whole image (about 5 s of CPU per GiB on a small host), so a match is
# remembered in .IMAGE.checked (a dot file: image listings skip it) with the file's inode, size,
# mtime and ctime: any write to the image changes its ctime (which no user can set back), and
# then it is hashed again.
stamp=$(stat -c '%i %s %y %z' -- "$image") || exit 3
memo="${image%/*}/.${image##*/}.checked"
checked=
[ ! -r "$memo" ] || read -r checked < "$memo"
if [ -n "$recorded" ] && [ "$checked" = "$stamp $recorded" ]; then
  actual=$recorded
else
  actual=$(sha256sum < "$image") || exit 3
  actual=${actual%% *}
  if [ -n "$recorded" ] && [ "$recorded" != "$actual" ]; then
    printf '%s %s\n' "$recorded" "$actual"
    exit 4
  fi
  # Not being able to remember it (a read-only image folder) only costs the next create a hash.
  [ -z "$recorded" ] || { printf '%s %s\n' "$stamp" "$recorded" > "$memo"; } 2>/dev/null || :
fi
size=$(stat -c %s -- "$image") || exit 3
[ "$bytes" -eq 0 ] && bytes=$size
if [ "$bytes" -lt "$size" ]; then
  printf '%s\n' "$size"
  exit 6
fi
# The disk may fill up to its full size, whatever a sparse or reflinked copy takes at first.
need=$(( (bytes + 1023) / 1024 ))
free=$(df -Pk -- "$dir" | awk 'NR == 2 { print $4 }')
if [ -n "$free" ] && [ "$need" -gt "$free" ]; then
  printf '%s %s\n' "$need" "$free"
  exit 5
fi
part="$dir/rootfs.ext4.part"
# cp takes the image's mode (often read-only); the disk is the VM's to write.
if ! cp --reflink=auto --sparse=always -- "$image" "$part" || ! chmod 600 -- "$part"; then
  rm -f -- "$part"
  exit 7
fi
if [ "$bytes" -gt "$size" ]; then
  # resize2fs wants a checked filesystem; -p repairs only what is safe without asking.
  if ! out=$(truncate -s "$bytes" -- "$part" 2>&1 && { e2fsck -fp "$part" 2>&1; [ $? -le 1 ]; } && resize2fs "$part" 2>&1); then
    rm -f -- "$part"
    printf '%s\n' "$out" | tail -n 3
    exit 8
  fi
fi
mv -f -- "$part" "$dir/rootfs.ext4"
printf '%s %s\n' "$actual" "$bytes" > "$dir/disk"
printf '%s %s\n' "$actual" "$bytes"
