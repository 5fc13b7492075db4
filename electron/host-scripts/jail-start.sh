# jail-start.sh DIR HELPER SHA256 VMID UID_MIN UID_MAX MODE VCPUS MEM_MIB OVERHEAD_MIB NETNS JAILER
#   FIRECRACKER KERNEL ROOTFS [SNAPSHOT_DIR] — starts the microVM of the run directory DIR through
# the jailer, by the privileged helper (checked first, as the net-*.sh scripts check it). Inside
# the chroot every file sits at the path it has on the host, so the API takes the same paths as
# an unjailed VM: the VM's own disk (DIR/rootfs.ext4, copied from ROOTFS when ROOTFS is an image
# outside DIR) hard-linked at ROOTFS, a copy of KERNEL, the metrics file and Firecracker's log
# hard-linked, DIR/snapshot a folder of the jail's, and SNAPSHOT_DIR's state and mem (a restore).
# The console FIFO and log are the jailed Firecracker's stdin and stdout, as unjailed. Afterwards
# DIR/api.sock is a symlink to the jail's socket link, DIR/firecracker.pid holds the host pid and
# DIR/jail one line of key=value facts (what discovery and the VM page show); those lines are
# printed too.
# Exits: 40 helper missing, 41 helper differs from the one shipped, 42 helper writable by others
# than root, 43 sudo refused to run it, 5 the disk copy failed; others are the helper's own
# (the jailer's failure, 83, prints the end of the logs).
set -u
umask 077
dir=$1 helper=$2 expected=$3 vmid=$4 uid_min=$5 uid_max=$6 mode=$7 vcpus=$8 mem=$9
shift 9
overhead=$1 netns=$2 jailer=$3 firecracker=$4 kernel=$5 rootfs=$6 snapshot=${7-}
[ -e "$helper" ] || exit 40
sum=$(sha256sum <"$helper" 2>/dev/null)
[ "${sum%% *}" = "$expected" ] || { printf 'sha256=%s\n' "${sum%% *}"; exit 41; }
[ -z "$(find "$helper" "${helper%/*}" -maxdepth 0 \( ! -user 0 -o -perm /022 \) 2>/dev/null)" ] || exit 42
cd -- "$dir" || exit 1
rm -f -- api.sock stopped jail
case $rootfs in
  "$dir"/*) disk=$rootfs ;;
  *)
    # Never the image itself: the VM's own copy (reflinked or sparse where the filesystem can).
    disk=$dir/rootfs.ext4
    if [ ! -e "$disk" ]; then
      if ! cp --reflink=auto --sparse=always -- "$rootfs" "$disk.part" || ! mv -- "$disk.part" "$disk"; then
        rm -f -- "$disk.part"
        exit 5
      fi
    fi
    ;;
esac
: >>metrics
: >>firecracker.log
set -- link "$rootfs" "$disk" copy "$kernel" "$kernel" link "$dir/metrics" "$dir/metrics" \
  link "$dir/firecracker.log" "$dir/firecracker.log" dir "$dir/snapshot" -
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
