# jail-sweep.sh VMS HELPER SHA256 list|sweep — the SSH user's microVM jails, as the privileged
# helper lists them (jail-list), one `jail=VMID alive=yes|no rundir=yes|no` line each, where
# rundir says whether VMS/VMID (the VM's run directory) still exists. With sweep, a jail whose run
# directory is gone (removed outside Firedeck) is ended and removed by the helper (jail-stop):
# `swept=VMID`, or `sweep_failed=VMID` when the helper could not. A VM being created has its run
# directory before its jail, so a start in flight is never swept.
# Exits: 40 helper missing, 41 helper differs, 42 helper writable by others, 43 sudo refused;
# others are the helper's own.
set -u
vms=$1 helper=$2 expected=$3 mode=$4
[ -e "$helper" ] || exit 40
sum=$(sha256sum <"$helper" 2>/dev/null)
[ "${sum%% *}" = "$expected" ] || { printf 'sha256=%s\n' "${sum%% *}"; exit 41; }
[ -z "$(find "$helper" "${helper%/*}" -maxdepth 0 \( ! -user 0 -o -perm /022 \) 2>/dev/null)" ] || exit 42
me=$(id -u)
listing=$(sudo -n -- "$helper" jail-list "$me")
status=$?
[ "$status" -eq 1 ] && exit 43
[ "$status" -eq 0 ] || exit "$status"
printf '%s\n' "$listing" | while read -r vm alive; do
  vm=${vm#vm=} alive=${alive#alive=}
  [ -n "$vm" ] || continue
  rundir=no
  [ -d "$vms/$vm" ] && rundir=yes
  printf 'jail=%s alive=%s rundir=%s\n' "$vm" "$alive" "$rundir"
  if [ "$mode" != sweep ] || [ "$rundir" = yes ]; then continue; fi
  if sudo -n -- "$helper" jail-stop "$me" "$vm" >/dev/null; then
    printf 'swept=%s\n' "$vm"
  else
    printf 'sweep_failed=%s\n' "$vm"
  fi
done
