# vm-start.sh DIR FIRECRACKER ID [PREFIX…] — starts Firecracker for the run directory DIR, detached
# from the SSH session (setsid: it outlives the app), stdout and stderr appended to console.log,
# stdin read from the console FIFO. The FIFO is opened read-write (0<>) so the open neither blocks
# waiting for a writer nor ever sees EOF. Waits (up to 5 s) for the API socket.
#
# PREFIX, when given, is a command that runs the rest: the network helper's
# `sudo -n HELPER net-exec UID VMID --` (Firecracker inside the VM's network namespace), later the
# jailer. Such a launcher may stay Firecracker's parent and belong to root, so Firecracker writes
# its own pid (a shell that records $$, then execs it): firecracker.pid is always Firecracker's.
# Behind a launcher Firecracker also leads a session of its own (the inner setsid: the launcher's
# group is root's), so vm-kill.sh ends its whole process group, as without one.
# Exits: 3 Firecracker (or its launcher) exited at once (the end of its logs is printed), 4 no
# socket in time.
set -u
umask 077
dir=$1 binary=$2 id=$3
shift 3
cd -- "$dir" || exit 1
rm -f -- api.sock stopped firecracker.pid
lead=
[ "$#" -gt 0 ] && lead=setsid
# shellcheck disable=SC2016 # $$ and "$@" belong to the inner shell
setsid "$@" sh -c 'printf "%s\n" "$$" > firecracker.pid.new && mv -f firecracker.pid.new firecracker.pid && exec "$@"' firecracker \
  ${lead:+"$lead"} "$binary" --api-sock "$dir/api.sock" --id "$id" --log-path "$dir/firecracker.log" 0<>console.in >>console.log 2>&1 &
launcher=$!

# Whether the launcher (or Firecracker itself) is still there. kill -0 cannot say: a launcher of
# root's answers EPERM, and an exited child stays a zombie until this shell ends.
running() {
  pid=
  [ -s firecracker.pid ] && read -r pid < firecracker.pid
  if [ -n "$pid" ]; then
    state=$(cut -d' ' -f3 "/proc/$pid/stat" 2>/dev/null)
  else
    state=$(cut -d' ' -f3 "/proc/$launcher/stat" 2>/dev/null)
  fi
  [ -n "$state" ] && [ "$state" != Z ] && [ "$state" != X ]
}

i=0
while [ ! -S api.sock ] || [ ! -s firecracker.pid ]; do
  if ! running; then
    tail -n 20 console.log firecracker.log
    exit 3
  fi
  [ "$i" -ge 100 ] && exit 4
  sleep 0.05
  i=$((i + 1))
done
