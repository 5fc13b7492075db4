# vm-snapshots-list.sh DIR — the complete snapshots of the run directory DIR, one a line:
# NAME<tab>CREATED_AT<tab>KIB on disk<tab>disk yes|no. A folder without memory, state and info
# (a snapshot that failed half-way) is not one.
for s in "$1"/snapshots/*/; do
  [ -d "$s" ] || continue
  s=${s%/}
  if [ ! -f "$s/state" ] || [ ! -f "$s/mem" ] || [ ! -f "$s/info" ]; then continue; fi
  created=
  read -r created < "$s/info"
  kib=$(du -sk -- "$s" | awk '{ print $1 }')
  disk=no
  [ ! -f "$s/rootfs.ext4" ] || disk=yes
  printf '%s\t%s\t%s\t%s\n' "${s##*/}" "$created" "$kib" "$disk"
done
exit 0
