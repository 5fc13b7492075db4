# metrics-prepare.sh DIR — creates the empty metrics file of the run directory DIR, private to the
# SSH user: Firecracker opens it (it never creates it) when the boot steps configure metrics.
# Exits: 3 DIR is not a directory.
umask 077
[ -d "$1" ] || exit 3
: > "$1/metrics" && chmod 600 -- "$1/metrics"
