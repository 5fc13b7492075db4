# jail-check.sh DIR HELPER SHA256 JAILER FIRECRACKER TAP — can the microVM of the run directory DIR
# start jailed? Prints key=value lines and exits 0 whatever it finds: verdict=jail, or
# verdict=REASON (helper-missing, helper-tampered, helper-no-sudo, jailer-missing, jailer-unsafe,
# tap-network), which it also writes to DIR/jail as `unjailed=REASON` for the VM page. The helper
# is checked as net-helper-status.sh checks it; the jailer and Firecracker must be root's alone,
# with every folder above them (the jailer runs as root). TAP is yes when the VM asks for a tap
# device of the SSH user's, which a jailed Firecracker could not open.
dir=$1 helper=$2 expected=$3 jailer=$4 firecracker=$5 tap=$6
verdict=jail
root_only() {
  p=$1
  while [ -n "$p" ]; do
    [ -n "$(find -H "$p" -maxdepth 0 -user 0 ! -perm /022 2>/dev/null)" ] || return 1
    p=${p%/*}
  done
}
if [ ! -e "$helper" ]; then
  verdict='helper-missing'
elif [ -n "$(find "$helper" "${helper%/*}" -maxdepth 0 \( ! -user 0 -o -perm /022 \) 2>/dev/null)" ]; then
  verdict='helper-tampered'
else
  sum=$(sha256sum <"$helper" 2>/dev/null)
  if [ "${sum%% *}" != "$expected" ]; then
    verdict='helper-tampered'
  elif ! sudo -n -- "$helper" version >/dev/null 2>&1; then
    verdict='helper-no-sudo'
  fi
fi
if [ "$verdict" = jail ]; then
  if [ -z "$jailer" ] || [ ! -f "$jailer" ] || [ ! -f "$firecracker" ]; then
    verdict='jailer-missing'
  elif ! root_only "$jailer" || ! root_only "$firecracker"; then
    verdict='jailer-unsafe'
  elif [ "$tap" = yes ]; then
    verdict='tap-network'
  fi
fi
printf 'verdict=%s\n' "$verdict"
if [ "$verdict" != jail ]; then
  umask 077
  printf 'unjailed=%s\n' "$verdict" >"$dir/jail"
fi
exit 0
