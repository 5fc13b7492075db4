# host-probe.sh — everything Firedeck needs to know about a host, as key=value lines.
# Takes no arguments. /dev/kvm is really opened read-write (exec 3<>), because a -r/-w test
# passes even where opening fails with ENODEV (Lima on Apple Silicon).
fd_dir="$HOME/.firedeck"
printf 'machine=%s\n' "$(uname -m)"
printf 'kernel=%s\n' "$(uname -r)"
printf 'os=%s\n' "$(sed -n 's/^PRETTY_NAME=//p' /etc/os-release 2>/dev/null | head -n 1 | tr -d '"')"
printf 'cpus=%s\n' "$(nproc 2>/dev/null || getconf _NPROCESSORS_ONLN 2>/dev/null)"
awk '/^MemTotal:/ { print "mem_total_kb=" $2 } /^MemAvailable:/ { print "mem_available_kb=" $2 }' /proc/meminfo 2>/dev/null
printf 'user=%s\n' "$(id -un)"
printf 'firedeck_dir=%s\n' "$fd_dir"
d="$fd_dir"
while [ ! -d "$d" ]; do d=$(dirname "$d"); done
df -Pk "$d" 2>/dev/null | awk 'NR == 2 { print "disk_free_kb=" $4 }'
if ! command -v sudo >/dev/null 2>&1; then
  printf 'sudo=missing\n'
elif sudo -n true >/dev/null 2>&1; then
  printf 'sudo=passwordless\n'
else
  printf 'sudo=password-required\n'
fi
for tool in socat firecracker jailer; do
  p=$(command -v "$tool" 2>/dev/null)
  if [ -z "$p" ] && [ -x "$fd_dir/bin/$tool" ]; then p="$fd_dir/bin/$tool"; fi
  [ -n "$p" ] || continue
  printf '%s_path=%s\n' "$tool" "$p"
  case "$tool" in
    socat) printf 'socat_version=%s\n' "$("$p" -V 2>/dev/null | sed -n 's/^socat version \([^ ]*\).*/\1/p' | head -n 1)" ;;
    *) printf '%s_version=%s\n' "$tool" "$("$p" --version 2>&1 | head -n 1)" ;;
  esac
done
if [ -d /mnt/lima-cidata ] || command -v lima-guestagent >/dev/null 2>&1; then printf 'lima=yes\n'; else printf 'lima=no\n'; fi
if [ ! -e /dev/kvm ]; then
  printf 'kvm_error=No such file or directory\n'
elif kvm_error=$( (exec 3<>/dev/kvm) 2>&1 ); then
  printf 'kvm=ok\n'
else
  printf 'kvm_error=%s\n' "$(printf '%s' "$kvm_error" | tr '\n' ' ')"
fi
printf 'kvm_group=%s\n' "$(stat -c %G /dev/kvm 2>/dev/null)"
