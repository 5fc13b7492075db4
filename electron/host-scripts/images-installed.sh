# images-installed.sh DIR [KERNEL ROOTFS] — whether DIR holds a kernel and a root filesystem,
# each with its checksum file: the ones named, or (without names) any pair. Prints
# "KERNEL<tab>ROOTFS".
# exits: 1 not installed
cd -- "$1" 2>/dev/null || exit 1
if [ $# -ge 3 ]; then
  k=$2 r=$3
  [ -f "$k" ] && [ -f "$k.sha256" ] && [ -f "$r" ] && [ -f "$r.sha256" ] || exit 1
else
  k='' r=''
  for f in vmlinux-*; do [ -f "$f" ] && [ -f "$f.sha256" ] && k=$f; done
  for f in rootfs-*.ext4; do [ -f "$f" ] && [ -f "$f.sha256" ] && r=$f; done
  [ -n "$k" ] && [ -n "$r" ] || exit 1
fi
printf '%s\t%s\n' "$k" "$r"
