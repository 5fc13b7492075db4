# jail-snapshot.sh DIR HELPER SHA256 VMID NAME prepare|export — a jailed Firecracker writes snapshot
# NAME at DIR/snapshots/NAME inside its chroot. `prepare` has the helper make that folder there
# (before PUT /snapshot/create); `export` has it hand the files to the SSH user and puts them into
# DIR/snapshots/NAME, where restore reads them: hard links, or copies where the jail is on another
# filesystem. Nothing to do for a VM that is not jailed.
# Exits: 40 helper missing, 41 helper differs, 42 helper writable by others, 43 sudo refused;
# others are the helper's own.
set -u
umask 077
dir=$1 helper=$2 expected=$3 vmid=$4 name=$5 phase=$6
line=
read -r line 2>/dev/null <"$dir/jail"
case $line in '' | unjailed=*) exit 0 ;; esac
[ -e "$helper" ] || exit 40
sum=$(sha256sum <"$helper" 2>/dev/null)
[ "${sum%% *}" = "$expected" ] || { printf 'sha256=%s\n' "${sum%% *}"; exit 41; }
[ -z "$(find "$helper" "${helper%/*}" -maxdepth 0 \( ! -user 0 -o -perm /022 \) 2>/dev/null)" ] || exit 42
out=$(sudo -n -- "$helper" jail-snapshot "$(id -u)" "$vmid" "$name" "$phase")
status=$?
[ "$status" -eq 1 ] && exit 43
[ "$status" -eq 0 ] || exit "$status"
[ "$phase" = export ] || exit 0
mkdir -p -- "$dir/snapshots/$name"
printf '%s\n' "$out" | while IFS='=' read -r key path; do
  [ "$key" = export ] || continue
  file=${path##*/}
  rm -f -- "$dir/snapshots/$name/$file"
  ln -- "$path" "$dir/snapshots/$name/$file" 2>/dev/null || cp -- "$path" "$dir/snapshots/$name/$file" || exit 1
done
