# jail-snapshot.sh DIR HELPER SHA256 VMID — after Firecracker wrote a snapshot inside the jail of the
# run directory DIR (its DIR/snapshot is a folder of the jail's), has the helper hand the files to
# the SSH user and puts them into DIR/snapshot, where restore reads them: hard links, or copies
# where the jail is on another filesystem. Nothing to do for a VM that is not jailed.
# Exits: 40 helper missing, 41 helper differs, 42 helper writable by others, 43 sudo refused;
# others are the helper's own.
set -u
umask 077
dir=$1 helper=$2 expected=$3 vmid=$4
line=
read -r line 2>/dev/null <"$dir/jail"
case $line in '' | unjailed=*) exit 0 ;; esac
[ -e "$helper" ] || exit 40
sum=$(sha256sum <"$helper" 2>/dev/null)
[ "${sum%% *}" = "$expected" ] || { printf 'sha256=%s\n' "${sum%% *}"; exit 41; }
[ -z "$(find "$helper" "${helper%/*}" -maxdepth 0 \( ! -user 0 -o -perm /022 \) 2>/dev/null)" ] || exit 42
out=$(sudo -n -- "$helper" jail-snapshot "$(id -u)" "$vmid")
status=$?
[ "$status" -eq 1 ] && exit 43
[ "$status" -eq 0 ] || exit "$status"
mkdir -p -- "$dir/snapshot"
printf '%s\n' "$out" | while IFS='=' read -r key path; do
  [ "$key" = export ] || continue
  name=${path##*/}
  rm -f -- "$dir/snapshot/$name"
  ln -- "$path" "$dir/snapshot/$name" 2>/dev/null || cp -- "$path" "$dir/snapshot/$name" || exit 1
done
