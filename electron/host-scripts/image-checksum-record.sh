# image-checksum-record.sh PATH SHA256 — records an image's checksum beside it, as PATH.sha256.
path=$1 sum=$2
umask 077
printf '%s\n' "$sum" > "$path.sha256.part" && mv -f -- "$path.sha256.part" "$path.sha256"
