# upload-prepare.sh RELATIVE — makes the folder for an upload to $HOME/RELATIVE and prints that
# absolute path. The caller has checked RELATIVE (no leading /, no ..).
set -eu
dest="$HOME/$1"
umask 077
mkdir -p -- "$(dirname -- "$dest")"
printf '%s' "$dest"
