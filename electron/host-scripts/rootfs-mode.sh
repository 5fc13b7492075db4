# rootfs-mode.sh — how this host can build a root filesystem that keeps its owners, device
# nodes and setuid bits: prints mode=root (the SSH user is root), fakeroot (a working fakeroot),
# sudo (passwordless sudo, no fakeroot) or none; and user=NAME.
printf 'user=%s\n' "$(id -un)"
if [ "$(id -u)" -eq 0 ]; then
  printf 'mode=root\n'
elif command -v fakeroot >/dev/null 2>&1 && fakeroot -- true >/dev/null 2>&1; then
  printf 'mode=fakeroot\n'
elif sudo -n true >/dev/null 2>&1; then
  printf 'mode=sudo\n'
else
  printf 'mode=none\n'
fi
