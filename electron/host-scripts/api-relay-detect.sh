# api-relay-detect.sh — names the tool this host has to relay a stdio stream to a Unix socket,
# for the ssh-exec transport (where sshd forbids forwarding): socat, python3 or perl, as
# `relay=NAME`. (busybox nc has no Unix-socket mode; perl-base is part of every Debian system.)
# Exits: 3 none of them is installed.
for tool in socat python3 perl; do
  if command -v "$tool" >/dev/null 2>&1; then
    printf 'relay=%s\n' "$tool"
    exit 0
  fi
done
exit 3
