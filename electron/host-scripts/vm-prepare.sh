# vm-prepare.sh DIR CONFIG_JSON — makes a microVM's run directory, private to the SSH user: the
# console FIFO (Firecracker's stdin), empty logs, and config.json (what discovery reads back).
# Exits: 17 a VM of that id exists.
set -eu
umask 077
dir=$1 config=$2
vms=${dir%/*}
mkdir -p -- "$vms"
chmod 700 -- "$vms"
# mkdir without -p is the atomic "create if absent": of two creates of one id, one gets 17.
if ! mkdir -- "$dir" 2>/dev/null; then
  [ -e "$dir" ] && exit 17
  mkdir -- "$dir"
fi
mkfifo -m 600 -- "$dir/console.in"
: > "$dir/console.log"
: > "$dir/firecracker.log"
printf '%s\n' "$config" > "$dir/config.json"
