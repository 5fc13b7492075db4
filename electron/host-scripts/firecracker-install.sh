# firecracker-install.sh TARBALL VERSION ARCH — checks a downloaded release against its
# published SHA-256 (TARBALL.sha256.txt beside it; both relative to $HOME) and installs
# firecracker and jailer: into /usr/local/bin with passwordless sudo, else ~/.firedeck/bin.
# Prints the folder they went to.
# exits: 3 checksum mismatch (both files are deleted; prints the two sums)
set -eu
tarball="$HOME/$1" version=$2 arch=$3
expected=$(cut -c1-64 "$tarball.sha256.txt")
actual=$(sha256sum -- "$tarball" | cut -c1-64)
if [ "$expected" != "$actual" ]; then
  rm -f -- "$tarball" "$tarball.sha256.txt"
  printf 'published %s, downloaded %s\n' "$expected" "$actual"
  exit 3
fi
downloads="$HOME/.firedeck/downloads"
rm -rf -- "$downloads"/extract.* # left by an interrupted run
work=$(mktemp -d "$downloads/extract.XXXXXX")
tar -xzf "$tarball" -C "$work"
if sudo -n true 2>/dev/null; then
  dest=/usr/local/bin
  as='sudo -n'
else
  dest="$HOME/.firedeck/bin"
  as=
  mkdir -p -- "$dest"
fi
for tool in firecracker jailer; do
  # $as is empty or "sudo -n": split on purpose.
  $as install -m 0755 "$work/release-$version-$arch/$tool-$version-$arch" "$dest/.$tool.part"
  $as mv -f -- "$dest/.$tool.part" "$dest/$tool"
done
rm -rf -- "$work"
printf '%s\n' "$dest"
