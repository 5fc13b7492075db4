# kernel-install.sh DIR DOWNLOAD NAME — records the checksum of a checked kernel download and
# renames it to NAME (both in DIR).
set -eu
cd -- "$1"
umask 077
sha256sum -- "$2" | cut -c1-64 > "$3.sha256"
mv -f -- "$2" "$3"
