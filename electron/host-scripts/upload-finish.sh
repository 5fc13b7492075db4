# upload-finish.sh TEMP DEST — puts a checked upload under its name (rename: never half a file
# under DEST).
mv -f -- "$1" "$2"
