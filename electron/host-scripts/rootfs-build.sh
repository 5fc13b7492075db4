# rootfs-build.sh DIR SQUASHFS TARGET PUBKEY MODE UNPACK — turns the squashfs DIR/SQUASHFS into
# the writable ext4 DIR/TARGET with PUBKEY in root's authorized_keys, checksum in TARGET.sha256.
# MODE (root, fakeroot or sudo, see rootfs-mode.sh) is how the unpack-and-build runs as root, so
# that owners, modes, setuid bits, device nodes and xattrs survive; UNPACK is the text of
# rootfs-unpack.sh, which does it. The build happens in a temp folder; TARGET appears only
# when complete, and the squashfs is removed after, built or refused.
# exits: 11 the squashfs cannot be unpacked, 12 mkfs.ext4 failed (both print the tool's message)
set -eu
dir=$1 squash=$2 target=$3 key=$4 mode=$5 unpack=$6
cd -- "$dir"
umask 077
case $mode in
  root) as= ;;
  fakeroot) as='fakeroot --' ;;
  sudo) as='sudo -n' ;;
  *) printf 'unknown mode %s\n' "$mode" >&2; exit 2 ;;
esac
build=$(mktemp -d .rootfs-build.XXXXXX)
cleanup() {
  if [ "$mode" = sudo ]; then sudo -n rm -rf -- "$build"; else rm -rf -- "$build"; fi
  rm -f -- "$squash"
}
trap cleanup EXIT
# shellcheck disable=SC2086 # $as is a command prefix, split on purpose
$as sh -c "$unpack" rootfs-unpack "$build/tree" "$squash" "$key" "$build/image"
if [ "$mode" = sudo ]; then sudo -n chown "$(id -u):$(id -g)" "$build/image"; fi
chmod 600 "$build/image"
sha256sum -- "$build/image" | cut -c1-64 > "$target.sha256.part"
mv -f -- "$build/image" "$target"
mv -f -- "$target.sha256.part" "$target.sha256"
