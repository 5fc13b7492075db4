# metrics-prepare.sh DIR — creates the empty metrics file of the run directory DIR, private to the
# SSH user: Firecracker opens it (it never creates it) when the boot steps configure metrics.
# Exits: 3 DIR is not a directory.
umask 077
[ -d "$1" ] || exit 3
# A jailed VM's metrics file is already there, shared with its jail's group (0660, see
# jail-start.sh): truncated only, its mode kept.
if [ -e "$1/metrics" ] && [ -e "$1/jail" ]; then : > "$1/metrics"; else : > "$1/metrics" && chmod 600 -- "$1/metrics"; fi
