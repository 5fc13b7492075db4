# boot-login-watch.sh DIR CREATE_TO_START_MS TIMEOUT_S [LAG_MS [restore]] — records a microVM's boot timing in its
# config.json as "bootTiming": {"createToStartMs": N, "startToLoginMs": N|null}. Returns at once:
# a background watcher (its output to /dev/null, so the SSH channel closes) looks for the guest's
# first `login:` in console.log every 0.1 s, for at most TIMEOUT_S seconds and only while the VM's
# process lives, then writes the figures (startToLoginMs null when no prompt came). TIMEOUT_S 0
# writes at once with no login figure (a restored VM does not boot). The time is the host's,
# counted from the watcher's start plus LAG_MS: the app's estimate of how long after
# InstanceStart was answered this command arrived (half an SSH round trip), so a guest faster
# than the command is not recorded as 0 ms. With `restore` the record says "restored":true: a
# restore's time is not a boot's, and host medians leave it out.
# Exits: 3 DIR has no config.json.
dir=$1 create=$2 timeout=$3 lag=${4:-0} kind=${5:-boot}
case $lag in '' | *[!0-9]*) lag=0 ;; esac
restored=
[ "$kind" = restore ] && restored=',"restored":true'
cd -- "$dir" 2>/dev/null && [ -f config.json ] || exit 3
(
  trap '' HUP
  read -r up _ < /proc/uptime
  t0=${up%.*}${up#*.}
  login=null
  i=0
  while [ "$i" -lt "$((timeout * 10))" ]; do
    [ -f console.log ] || exit 0
    if grep -q 'login:' console.log 2>/dev/null; then
      read -r up _ < /proc/uptime
      login=$(((${up%.*}${up#*.} - t0) * 10 + lag))
      break
    fi
    pid=
    read -r pid 2>/dev/null < firecracker.pid
    if [ -z "$pid" ] || ! kill -0 "$pid" 2>/dev/null; then break; fi
    sleep 0.1
    i=$((i + 1))
  done
  config=
  read -r config 2>/dev/null < config.json
  case $config in
    *'"bootTiming"'*) exit 0 ;;
    '{'*'}') ;;
    *) exit 0 ;;
  esac
  printf '%s,"bootTiming":{"createToStartMs":%s,"startToLoginMs":%s%s}}\n' "${config%\}}" "$create" "$login" "$restored" > config.json.boot &&
    mv -f config.json.boot config.json
) < /dev/null > /dev/null 2>&1 &
# vm-kill.sh ends the watcher before it removes the directory, so no late write can recreate it.
printf '%s\n' "$!" > boot-watch.pid
exit 0
