# vm-snapshot-source.sh DIR NAME — prints config.json of the run directory DIR, whose snapshot
# NAME is to be restored (into a new microVM, or into DIR itself).
# Exits: 3 DIR has no readable config.json, 4 DIR has no complete snapshot NAME.
set -u
[ -r "$1/config.json" ] || exit 3
[ -f "$1/snapshots/$2/state" ] && [ -f "$1/snapshots/$2/mem" ] || exit 4
cat -- "$1/config.json"
