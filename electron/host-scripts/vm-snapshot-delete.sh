# vm-snapshot-delete.sh DIR NAME — removes the snapshot NAME of the run directory DIR (memory,
# state and disk copy). A VM restored from it is untouched: it has its own disk, and its memory
# mapping of the snapshot's memory file outlives the file's name.
# Exits: 4 no such snapshot.
set -u
[ -d "$1/snapshots/$2" ] || exit 4
rm -rf -- "$1/snapshots/$2"
