# vm-discover.sh VMS_DIR [ID] — one record per microVM run directory under VMS_DIR (with ID, for
# that one only, so an action on one VM does not read a host's every VM):
#   @vm ID / alive yes|no / log BASE64 (dead VMs: the end of the console log) / stopped yes /
#   config JSON (the first line of config.json) / bridge PORT / disk SHA256 BYTES (the VM's own
#   disk: its image's checksum and its size; absent for VMs that boot their image) /
#   jail LINE (DIR/jail, jail-start.sh's facts)
# A process counts as the VM's Firecracker only while its cwd is the run directory (a reused pid
# is not). Data is printed with printf '%s', never echo (dash's echo turns a `\n` inside a VM name
# into a newline, which could forge a record), and a directory whose name is not a valid VM id is
# skipped. Only builtins run per live VM: with 50 VMs a fork each would cost more than the whole
# refresh may take.
vms=$1
# A jailed VM runs as a uid of its own, so its cwd cannot be looked at: it is alive while its pid
# has the start time the jail line recorded (/proc/PID/stat is readable by everyone).
jailed_alive() { # PID JAIL_LINE
  case " $2 " in *" starttime="*) ;; *) return 1 ;; esac
  want=${2#*starttime=}
  want=${want%% *}
  stat=
  read -r stat 2>/dev/null < "/proc/$1/stat" || return 1
  set -f
  # shellcheck disable=SC2086 # the fields after the command name
  set -- ${stat##*) }
  set +f
  shift 19
  [ "${1-}" = "$want" ]
}
if [ -n "${2-}" ]; then
  # Only a valid VM id names a directory: `../x` must not reach outside VMS_DIR.
  case $2 in *[!A-Za-z0-9-]*) exit 0 ;; esac
  set -- "$vms/$2/"
else
  set -- "$vms"/*/
fi
for d in "$@"; do
  [ -d "$d" ] || continue
  d=${d%/}
  id=${d##*/}
  case $id in
    *[!A-Za-z0-9-]*) continue ;;
  esac
  [ "${#id}" -le 64 ] || continue
  printf '@vm %s\n' "$id"
  pid=
  read -r pid 2>/dev/null < "$d/firecracker.pid"
  jail=
  read -r jail 2>/dev/null < "$d/jail"
  # shellcheck disable=SC3013 # -ef: not POSIX, but dash, bash and busybox ash all have it
  if [ -n "$pid" ] && kill -0 "$pid" 2>/dev/null && [ "/proc/$pid/cwd" -ef "$d" ]; then
    printf 'alive yes\n'
  elif [ -n "$pid" ] && jailed_alive "$pid" "$jail"; then
    printf 'alive yes\n'
  else
    printf 'alive no\n'
    # The end may straddle a rotation (console-watch.sh): the kept part comes first.
    printf 'log %s\n' "$(cat "$d/console.log.1" "$d/console.log" 2>/dev/null | tail -n 15 | base64 | tr -d '\n')"
  fi
  if [ -e "$d/stopped" ]; then printf 'stopped yes\n'; fi
  printf 'jail %s\n' "$jail"
  config=
  read -r config 2>/dev/null < "$d/config.json"
  printf 'config %s\n' "$config"
  disk=
  read -r disk 2>/dev/null < "$d/disk"
  [ -z "$disk" ] || printf 'disk %s\n' "$disk"
  port=
  read -r port 2>/dev/null < "$d/bridge.port"
  printf 'bridge %s\n' "$port"
done
exit 0
