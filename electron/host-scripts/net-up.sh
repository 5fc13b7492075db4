# net-up.sh HELPER SHA256 VMID INDEX POOL — checks the helper, then has it build the network of
# VMID (block INDEX of POOL) for this user. Prints the helper's key=value lines.
# Exits: 40 helper missing, 41 helper differs from the one shipped, 42 helper writable by others
# than root, 43 sudo refused to run it; others are the helper's own.
helper=$1 expected=$2 vmid=$3 index=$4 pool=$5
[ -e "$helper" ] || exit 40
sum=$(sha256sum <"$helper" 2>/dev/null)
[ "${sum%% *}" = "$expected" ] || { printf 'sha256=%s\n' "${sum%% *}"; exit 41; }
[ -z "$(find "$helper" "${helper%/*}" -maxdepth 0 \( ! -user 0 -o -perm /022 \) 2>/dev/null)" ] || exit 42
sudo -n -- "$helper" net-up "$(id -u)" "$vmid" "$index" "$pool"
status=$?
[ "$status" -eq 1 ] && exit 43
exit "$status"
