# net-state.sh HELPER SHA256 RESOLV_CONF RESOLVED_CONF — everything `up`, `list` and `repair` need
# of a host in one round trip: the helper checked, the user's uid, the host's routes
# (`ip -j route`), its resolvers, and the helper's net-list.
# Exits: 40 helper missing, 41 helper differs from the one shipped, 42 helper writable by others
# than root, 43 sudo refused to run it; others are the helper's own.
helper=$1 expected=$2 resolv=$3 resolved=$4
[ -e "$helper" ] || exit 40
sum=$(sha256sum <"$helper" 2>/dev/null)
[ "${sum%% *}" = "$expected" ] || { printf 'sha256=%s\n' "${sum%% *}"; exit 41; }
[ -z "$(find "$helper" "${helper%/*}" -maxdepth 0 \( ! -user 0 -o -perm /022 \) 2>/dev/null)" ] || exit 42
printf 'uid=%s\n' "$(id -u)"
printf 'routes=%s\n' "$(ip -4 -j route show table all 2>/dev/null | tr -d '\n')"
for pair in "resolv $resolv" "resolved $resolved"; do
  key=${pair%% *} file=${pair#* }
  [ -r "$file" ] && sed -n "s/^[[:space:]]*nameserver[[:space:]][[:space:]]*\([^[:space:]#]*\).*/$key=\1/p" "$file"
done
sudo -n -- "$helper" net-list "$(id -u)"
status=$?
[ "$status" -eq 1 ] && exit 43
exit "$status"
