# vm-snapshot-dir.sh DIR NAME — makes the folder of the named snapshot NAME of the run directory
# DIR (DIR/snapshots/NAME), private to the SSH user (a memory snapshot holds everything the guest
# had in RAM).
# Exits: 17 a snapshot of that name exists.
set -eu
umask 077
mkdir -p -- "$1/snapshots"
chmod 700 -- "$1/snapshots"
mkdir -- "$1/snapshots/$2" 2>/dev/null || exit 17
