# vm-console.sh DIR OFFSET MARKER — the serial console of the run directory DIR on this SSH
# channel: console.log streamed from byte OFFSET on (1 is the start) as it grows, and what comes in
# on this channel written to the console FIFO, which is Firecracker's stdin. MARKER is printed
# first, so that what a login script printed before it is never shown as console output.
# Nothing outlives the channel: its EOF ends cat, and the shell's exit ends tail.
# OFFSET counts from the VM's first console byte, across rotations (see the log watcher): after the
# marker, a line `@from N` says where the stream really starts (past OFFSET when that part was
# rotated away). tail -f follows console.log through a truncation, from its new start.
# Exits: 3 DIR is not a microVM run directory.
set -u
dir=$1 offset=$2 marker=$3
cd -- "$dir" 2>/dev/null || exit 3
[ -p console.in ] || exit 3
dropped=
read -r dropped 2>/dev/null < console.rotated
dropped=${dropped:-0}
start=$((offset - dropped))
[ "$start" -ge 1 ] || start=1
printf '%s\n' "$marker"
printf '@from %s\n' "$((start + dropped))"
tail -c "+$start" -f console.log 2>/dev/null &
tail_pid=$!
trap 'kill "$tail_pid" 2>/dev/null' EXIT
trap 'exit 129' HUP
trap 'exit 143' TERM
# Read-write, so the open never blocks when no Firecracker has the FIFO open.
cat 1<>console.in
