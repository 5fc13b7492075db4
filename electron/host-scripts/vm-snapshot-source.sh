# vm-snapshot-source.sh DIR — prints config.json of the run directory DIR, whose snapshot is to be
# restored into a new microVM.
# Exits: 3 DIR has no readable config.json, 4 DIR has no snapshot.
set -u
[ -r "$1/config.json" ] || exit 3
[ -f "$1/snapshot/state" ] && [ -f "$1/snapshot/mem" ] || exit 4
cat -- "$1/config.json"
