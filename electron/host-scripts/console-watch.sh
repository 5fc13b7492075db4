# console-watch.sh DIR MAX_BYTES KEEP_BYTES INTERVAL_S — keeps the console log of the run
# directory DIR bounded while its Firecracker lives. Returns at once: a background watcher (its
# output to /dev/null, so the SSH channel closes) looks at console.log every INTERVAL_S seconds;
# past MAX_BYTES it keeps the last KEEP_BYTES as console.log.1 and truncates console.log in place
# (copy-truncate: Firecracker appends with O_APPEND, so its next write lands at the new end), and
# adds what was cut to console.rotated, the log's offset of console.log's first byte, with which
# vm-console.sh keeps console offsets counting from the VM's first byte. The log stays below
# MAX_BYTES + KEEP_BYTES + what the guest prints in INTERVAL_S; bytes the guest prints between
# the last size check and the truncation (one fork apart) are lost.
# Exits: 3 DIR has no console.log.
dir=$1 max=$2 keep=$3 interval=$4
cd -- "$dir" 2>/dev/null && [ -f console.log ] || exit 3
(
  trap '' HUP
  while :; do
    pid=
    read -r pid 2>/dev/null < firecracker.pid
    # /proc/PID, not kill -0: a jailed Firecracker runs as a uid of its own, which kill -0 refuses.
    if [ -z "$pid" ] || [ ! -d "/proc/$pid" ]; then break; fi
    size=$(stat -c %s console.log 2>/dev/null) || break
    if [ "$size" -gt "$max" ]; then
      tail -c "$keep" console.log > console.log.1.part && mv -f console.log.1.part console.log.1
      # Measured again right before the cut, so only what lands between this and `:>` goes uncounted.
      size=$(stat -c %s console.log 2>/dev/null) || break
      : > console.log
      dropped=
      read -r dropped 2>/dev/null < console.rotated
      printf '%s\n' "$((${dropped:-0} + size))" > console.rotated.part && mv -f console.rotated.part console.rotated
    fi
    sleep "$interval"
  done
) < /dev/null > /dev/null 2>&1 &
# vm-kill.sh ends the watcher with the VM (its cwd is DIR, as the kill check wants).
printf '%s\n' "$!" > console-watch.pid
exit 0
