# vm-kill.sh DIR WHAT — ends processes of the run directory DIR. WHAT is `bridge` (its LAN socat
# bridge only), `vm` (Firecracker and the bridge), `stop` (both, then the `stopped` marker),
# `intend-stop` (the marker only, before a guest is asked to shut down, so the moment its process
# is gone it reads as stopped, not as an unexpected exit) or
# `delete` (both, then the directory); the boot-timing and console-log watchers go with
# Firecracker. A pid counts only while the process's working directory is DIR (all are started
# there), so a pid reused by another process is never killed. Firecracker and the bridge lead a
# session of their own (setsid), so their whole process group goes: socat's forked children
# serving open connections too.
# Exits: 2 WHAT is none of these.
set -u
dir=$1 what=$2
case $what in
  bridge) files=bridge.pid ;;
  intend-stop) files= ;;
  # The boot-timing (boot-login-watch.sh) and console-log (console-watch.sh) watchers go with Firecracker.
  vm | stop | delete) files='firecracker.pid bridge.pid boot-watch.pid console-watch.pid' ;;
  *) exit 2 ;;
esac
for f in $files; do
  pid=
  read -r pid 2>/dev/null < "$dir/$f"
  [ -n "$pid" ] || continue
  # shellcheck disable=SC3013 # -ef: not POSIX, but dash, bash and busybox ash all have it
  if [ "/proc/$pid/cwd" -ef "$dir" ]; then
    kill -9 "-$pid" 2>/dev/null || kill -9 "$pid" 2>/dev/null
    # Gone means no longer ours: a killed process loses its cwd link as it exits.
    i=0
    # shellcheck disable=SC3013 # -ef: not POSIX, but dash, bash and busybox ash all have it
    while [ "/proc/$pid/cwd" -ef "$dir" ] && [ "$i" -lt 100 ]; do
      sleep 0.02
      i=$((i + 1))
    done
  fi
done
rm -f -- "$dir/bridge.pid" "$dir/bridge.port" "$dir/boot-watch.pid"
case $what in
  stop | intend-stop) [ -d "$dir" ] && : > "$dir/stopped" ;;
  delete) rm -rf -- "$dir" ;;
esac
exit 0
