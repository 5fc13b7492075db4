# jail-stop.sh DIR HELPER SHA256 VMID — when the microVM of the run directory DIR runs jailed (DIR/jail
# exists), has the privileged helper end it and remove its jail: processes, chroot, cgroup, and the
# jail uid when no other VM uses it; the VM's disk goes back to being the SSH user's alone. Then
# the jail's traces in DIR go. Nothing to do for a VM that is not jailed.
# Exits: 40 helper missing, 41 helper differs, 42 helper writable by others, 43 sudo refused;
# others are the helper's own.
set -u
dir=$1 helper=$2 expected=$3 vmid=$4
line=
read -r line 2>/dev/null <"$dir/jail"
case $line in '' | unjailed=*) exit 0 ;; esac
[ -e "$helper" ] || exit 40
sum=$(sha256sum <"$helper" 2>/dev/null)
[ "${sum%% *}" = "$expected" ] || { printf 'sha256=%s\n' "${sum%% *}"; exit 41; }
[ -z "$(find "$helper" "${helper%/*}" -maxdepth 0 \( ! -user 0 -o -perm /022 \) 2>/dev/null)" ] || exit 42
sudo -n -- "$helper" jail-stop "$(id -u)" "$vmid"
status=$?
[ "$status" -eq 1 ] && exit 43
[ "$status" -eq 0 ] || exit "$status"
rm -f -- "$dir/jail" "$dir/api.sock" "$dir/firecracker.pid"
