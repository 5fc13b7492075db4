# vm-snapshot-dir.sh DIR — makes the snapshot folder of the run directory DIR, private to the SSH
# user (a memory snapshot holds everything the guest had in RAM).
set -eu
umask 077
mkdir -p -- "$1/snapshot"
chmod 700 -- "$1/snapshot"
