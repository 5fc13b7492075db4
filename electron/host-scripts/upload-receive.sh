# upload-receive.sh RELATIVE TEMP_RELATIVE SIZE — one round trip for a whole upload over an exec
# channel: makes the folder of $HOME/RELATIVE, writes the first SIZE bytes of stdin to
# $HOME/TEMP_RELATIVE, then reads one more line, the SHA-256 the sender computed while reading.
# The bytes are hashed as tee writes them (no second read of the file); only a file of SIZE
# bytes whose SHA-256 matches is renamed to RELATIVE, anything else is removed. Prints
# `path=ABSOLUTE` and `sha256=HEX` (the host's digest, also on a mismatch).
# exits: 3 the file could not be written whole, 4 no SHA-256 tool on the host, 5 fewer than SIZE
#        bytes arrived (the sender stopped), 6 the SHA-256 differs (the file was removed)
set -eu
dest=$HOME/$1 temp=$HOME/$2 size=$3
umask 077
# openssl uses the CPU's SHA extensions where coreutils' sha256sum does not (3x faster measured).
if command -v openssl >/dev/null 2>&1; then
  digest() { openssl dgst -sha256 -r; }
elif command -v sha256sum >/dev/null 2>&1; then
  digest() { sha256sum; }
else
  exit 4
fi
mkdir -p -- "$(dirname -- "$dest")"
# A cancelled upload closes the channel: however this script ends then (a signal, a write to the
# closed stdout failing under set -e), the temp file goes with it, even one tee made after the
# sender's own clean-up ran. After the rename below there is no temp file left to remove.
trap 'rm -f -- "$temp"' EXIT
trap 'exit 5' HUP INT TERM PIPE
# dash has no pipefail: whether head|tee succeeded comes back on fd 5, before the digest (the
# hasher sees the end of its input only once that group has finished).
out=$({ { if head -c "$size" | tee -- "$temp"; then printf 'wrote\n' >&5; fi; } | digest | cut -c1-64; } 5>&1)
IFS= read -r expected || expected=
got=${out#wrote
}
printf 'path=%s\nsha256=%s\n' "$dest" "$got"
if [ "$got" = "$out" ]; then rm -f -- "$temp"; exit 3; fi
if [ "$(wc -c < "$temp")" -ne "$size" ]; then rm -f -- "$temp"; exit 5; fi
if [ "$got" != "$expected" ]; then rm -f -- "$temp"; exit 6; fi
mv -f -- "$temp" "$dest"
