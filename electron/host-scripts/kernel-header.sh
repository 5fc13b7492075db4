# kernel-header.sh PATH — the first 64 bytes of the file at PATH, base64 on one line.
# exits: 2 no readable file at PATH
path=$1
[ -f "$path" ] && [ -r "$path" ] || exit 2
head -c 64 -- "$path" | base64 | tr -d '\n'
