# images-prepare.sh DIR — makes the image folder, and removes what an interrupted run left
# there under temp names (they are never used: only complete files carry a final name).
set -eu
umask 077
mkdir -p -- "$1"
cd -- "$1"
for f in .*.part .*.dl .rootfs-build.*; do
  if [ -e "$f" ]; then
    # A build tree made with sudo holds root's files; a user-owned one goes without it.
    rm -rf -- "$f" 2>/dev/null || sudo -n rm -rf -- "$f"
  fi
done
