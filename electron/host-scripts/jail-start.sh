# jail-start.sh DIR HELPER SHA256 VMID UID_MIN UID_MAX MODE VCPUS MEM_MIB OVERHEAD_MIB NETNS JAILER
#   FIRECRACKER KERNEL [SNAPSHOT_DIR] — starts the microVM of the run directory DIR through the
# jailer, by the privileged helper (checked first, as the net-*.sh scripts check it). Inside the
# chroot the API sees the paths an unjailed VM sees: the VM's own disk DIR/rootfs.ext4 hard-linked
# at /rootfs.ext4 (Firecracker is given it relative to its cwd, which in the jail is /), a copy of
# KERNEL at its path, the metrics file and Firecracker's log hard-linked at theirs, DIR/snapshots
# a folder of the jail's, and SNAPSHOT_DIR's state and mem (a restore) at theirs.
# The console FIFO and log are the jailed Firecracker's stdin and stdout, as unjailed. Afterwards
# DIR/api.sock is a symlink to the jail's socket link, DIR/firecracker.pid holds the host pid and
# DIR/jail one line of key=value facts (what discovery and the VM page show); those lines are
# printed too.
# Exits: 40 helper missing, 41 helper differs from the one shipped, 42 helper writable by others
# than root, 43 sudo refused to run it, 5 DIR has no disk; others are the helper's own
# (the jailer's failure, 83, prints the end of the logs).
set -u
umask 077
dir=$1 helper=$2 expected=$3 vmid=$4 uid_min=$5 uid_max=$6 mode=$7 vcpus=$8 mem=$9
shift 9
overhead=$1 netns=$2 jailer=$3 firecracker=$4 kernel=$5 snapshot=${6-}
[ -e "$helper" ] || exit 40
sum=$(sha256sum <"$helper" 2>/dev/null)
[ "${sum%% *}" = "$expected" ] || { printf 'sha256=%s\n' "${sum%% *}"; exit 41; }
[ -z "$(find "$helper" "${helper%/*}" -maxdepth 0 \( ! -user 0 -o -perm /022 \) 2>/dev/null)" ] || exit 42
cd -- "$dir" || exit 1
rm -f -- api.sock stopped jail
[ -f rootfs.ext4 ] || exit 5
: >>metrics
: >>firecracker.log
set -- link /rootfs.ext4 "$dir/rootfs.ext4" copy "$kernel" "$kernel" link "$dir/metrics" "$dir/metrics" \
  link "$dir/firecracker.log" "$dir/firecracker.log" dir "$dir/snapshots" -
if [ -n "$snapshot" ]; then set -- "$@" link "$snapshot/state" "$snapshot/state" link "$snapshot/mem" "$snapshot/mem"; fi
# The helper reports on stderr (here: the capture); stdin and stdout are the console's, and
# setsid keeps the VM out of this SSH session.
report=$(setsid -w sudo -n -- "$helper" jail-start "$(id -u)" "$vmid" "$uid_min" "$uid_max" "$mode" "$vcpus" "$mem" "$overhead" "$netns" "$jailer" "$firecracker" "$dir" "$@" 0<>console.in 2>&1 >>console.log)
status=$?
if [ "$status" -ne 0 ]; then
  printf '%s\n' "$report"
  [ "$status" -eq 83 ] && tail -n 20 console.log firecracker.log
  [ "$status" -eq 1 ] && exit 43
  exit "$status"
fi
pid='' socket='' line=''
while IFS='=' read -r key value; do
  case $key in
    pid) pid=$value ;;
    socket) socket=$value ;;
  esac
  case $key in
    '' | *[!a-z_]*) ;;
    *) line="$line $key=$value" ;;
  esac
done <<END
$report
END
printf '%s\n' "$pid" >firecracker.pid
printf '%s\n' "${line# }" >jail
ln -s -- "$socket" api.sock
printf '%s\n' "$report"
