# metrics-sample.sh FIREDECK_DIR OFFSETS SLOW LIMIT CLOCK — one sample of the host and of every running
# microVM under FIREDECK_DIR/vms, in one round trip. First every VM with a metrics file is asked to
# write its figures (FlushMetrics: one curl for all of them, else one socat each, else none), then:
#   host:  flush TOOL / uptime SECONDS / clock TICKS_PER_SECOND PAGE_BYTES (only when CLOCK is empty) /
#          stat BUSY_TICKS ALL_TICKS / load L1 L5 L15 / mem TOTAL_KB AVAILABLE_KB /
#          disk TOTAL_KB USED_KB AVAILABLE_KB and vmdisk KB (only when SLOW is yes)
#   a VM:  @vm ID / proc PID START_TICKS UTIME STIME RSS_PAGES / then, if it has a metrics file:
#          size BYTES (its offset is not in OFFSETS: where the file ends now), or
#          lines, the file from its offset as Firecracker wrote it, a newline, @end, and
#          trunc yes when the offset passed LIMIT and the file was emptied
# OFFSETS is " ID:BYTES ID:BYTES …": how much of each VM's metrics file the app has read. Firecracker
# keeps writing at its own file position, so an emptied file only becomes sparse; the app keeps its
# offset. A process counts as the VM's only while its cwd is the run directory, or, for a jailed VM
# (its cwd is its chroot, its uid one of its own: neither kill -0 nor cwd can be checked), while its
# pid has the start time its run directory's `jail` line recorded (starttime=TICKS), as
# vm-discover.sh decides it; its metrics file and API socket are in the run directory. Only builtins run per
# VM, except the one read of its metrics file (tail or wc); its figures come from the one line of
# /proc/PID/stat (dash's read takes a byte per system call, so longer files cost more).
fd=$1 offsets=" $2 " slow=$3 limit=$4 clock=$5
vms=$fd/vms
jailed_alive() { # PID JAIL_LINE (the function's own positional parameters: the curl list outside stays)
  case " $2 " in *" starttime="*) ;; *) return 1 ;; esac
  want=${2#*starttime=}
  want=${want%% *}
  stat=
  read -r stat 2>/dev/null < "/proc/$1/stat" || return 1
  # shellcheck disable=SC2086 # the fields after the command name: numbers and a state letter
  set -- ${stat##*) }
  shift 19
  [ "${1-}" = "$want" ]
}
body='{"action_type":"FlushMetrics"}'
alive=
flushable=
set --
for d in "$vms"/*/; do
  [ -d "$d" ] || continue
  d=${d%/}
  id=${d##*/}
  case $id in
    '' | *[!A-Za-z0-9-]*) continue ;;
  esac
  pid=
  read -r pid 2>/dev/null < "$d/firecracker.pid"
  case $pid in
    '' | *[!0-9]*) continue ;;
  esac
  jail=
  [ -e "$d/jail" ] && read -r jail 2>/dev/null < "$d/jail"
  # shellcheck disable=SC3013 # -ef: not POSIX, but dash, bash and busybox ash all have it
  if kill -0 "$pid" 2>/dev/null && [ "/proc/$pid/cwd" -ef "$d" ]; then
    :
  elif [ -z "$jail" ] || ! jailed_alive "$pid" "$jail"; then
    continue
  fi
  alive="$alive $id:$pid"
  if [ ! -e "$d/metrics" ] || [ ! -S "$d/api.sock" ]; then continue; fi
  flushable="$flushable $id"
  [ $# -gt 0 ] && set -- "$@" --next
  set -- "$@" --silent --output /dev/null --max-time 2 --unix-socket "$d/api.sock" --request PUT \
    --header 'Content-Type: application/json' --data "$body" http://localhost/actions
done
if [ -z "$flushable" ]; then
  printf 'flush none\n'
elif command -v curl >/dev/null 2>&1; then
  printf 'flush curl\n'
  curl "$@" >/dev/null 2>&1
elif command -v socat >/dev/null 2>&1; then
  printf 'flush socat\n'
  for id in $flushable; do
    printf 'PUT /actions HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\nContent-Length: %s\r\nConnection: close\r\n\r\n%s' "${#body}" "$body" |
      socat -t 1 -T 2 - "UNIX-CONNECT:$vms/$id/api.sock" >/dev/null 2>&1 &
  done
  wait
else
  printf 'flush none\n'
fi

up=
read -r up _ < /proc/uptime
printf 'uptime %s\n' "$up"
[ -n "$clock" ] || printf 'clock %s %s\n' "$(getconf CLK_TCK 2>/dev/null)" "$(getconf PAGESIZE 2>/dev/null)"
read -r _ u n s i w x y z _ < /proc/stat
busy=$((u + n + s + x + y + z))
printf 'stat %s %s\n' "$busy" "$((busy + i + w))"
read -r l1 l5 l15 _ < /proc/loadavg
printf 'load %s %s %s\n' "$l1" "$l5" "$l15"
mt=
ma=
while read -r k v _; do
  case $k in
    MemTotal:) mt=$v ;;
    MemAvailable:)
      ma=$v
      break
      ;;
  esac
done < /proc/meminfo
printf 'mem %s %s\n' "$mt" "$ma"
if [ "$slow" = yes ]; then
  d=$fd
  while [ ! -d "$d" ]; do d=${d%/*}; done
  df -Pk -- "${d:-/}" 2>/dev/null | {
    read -r _
    read -r _ size used avail _ && printf 'disk %s %s %s\n' "$size" "$used" "$avail"
  }
  [ -d "$vms" ] && du -sk -- "$vms" 2>/dev/null | { read -r kb _ && printf 'vmdisk %s\n' "$kb"; }
fi

for e in $alive; do
  id=${e%%:*}
  pid=${e#*:}
  d=$vms/$id
  line=
  read -r line 2>/dev/null < "/proc/$pid/stat" || continue
  # The fields after the command name, which may itself hold spaces and parentheses.
  # shellcheck disable=SC2086 # split on purpose: the fields are numbers and a state letter
  set -- ${line##*) }
  printf '@vm %s\n' "$id"
  printf 'proc %s %s %s %s %s\n' "$pid" "${20}" "${12}" "${13}" "${22}"
  [ -e "$d/metrics" ] || continue
  case $offsets in
    *" $id:"*)
      off=${offsets#*" $id:"}
      off=${off%% *}
      ;;
    *) off= ;;
  esac
  case $off in
    '' | *[!0-9]*)
      printf 'size %s\n' "$(wc -c < "$d/metrics")"
      continue
      ;;
  esac
  printf 'lines\n'
  tail -c +"$((off + 1))" -- "$d/metrics" 2>/dev/null
  printf '\n@end\n'
  if [ "$off" -gt "$limit" ]; then
    : > "$d/metrics"
    printf 'trunc yes\n'
  fi
done
exit 0
