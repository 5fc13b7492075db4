# vm-start.sh DIR FIRECRACKER ID — starts Firecracker for the run directory DIR, detached from the
# SSH session (setsid: it outlives the app), stdout and stderr appended to console.log, stdin read
# from the console FIFO. The FIFO is opened read-write (0<>) so the open neither blocks waiting
# for a writer nor ever sees EOF. Waits (up to 5 s) for the API socket.
# Exits: 3 Firecracker exited at once (the end of its logs is printed), 4 no socket in time.
set -u
umask 077
dir=$1 binary=$2 id=$3
cd -- "$dir" || exit 1
rm -f -- api.sock stopped
setsid "$binary" --api-sock "$dir/api.sock" --id "$id" --log-path "$dir/firecracker.log" 0<>console.in >>console.log 2>&1 &
pid=$!
printf '%s\n' "$pid" > firecracker.pid
i=0
while [ ! -S api.sock ]; do
  if ! kill -0 "$pid" 2>/dev/null; then
    tail -n 20 console.log firecracker.log
    exit 3
  fi
  [ "$i" -ge 100 ] && exit 4
  sleep 0.05
  i=$((i + 1))
done
