# guest-sync-delete.sh DIR — runs in the guest. Reads paths relative to DIR on stdin, each ended
# by a NUL, and deletes each one that is still a file (or a link, never followed) inside DIR.
# Prints `deleted=N skipped=N`. Exits: 17 DIR is not a folder.
# Firedeck never plans a path with a line break, so the NULs become line ends for `read`; a path
# split that way anyway is only two paths that are each checked.
# Each file is deleted from inside its own folder: cd -P into it, pwd -P must lie in DIR, then
# rm ./NAME. A link swapped in for a folder after the preview therefore leads nowhere outside.
# What remains is the race of a folder moved out of DIR between that check and the rm.
set -eu
dir=$1
root=$(cd -P -- "$dir" 2>/dev/null && pwd -P) || exit 17
case $root in
  /) inside=/ ;;
  *) inside=$root/ ;;
esac
deleted=0
skipped=0
remove() {
  case "/$1/" in
    *//* | */./* | */../*) return 1 ;;
  esac
  case "$1" in
    */*) sub=${1%/*} name=${1##*/} ;;
    *) sub=. name=$1 ;;
  esac
  (
    cd -P -- "$root/$sub" 2>/dev/null || exit 1
    here=$(pwd -P)
    case "$here/" in "$inside"*) ;; *) exit 1 ;; esac
    if [ -L "./$name" ] || [ -f "./$name" ]; then rm -f -- "./$name"; else exit 1; fi
  )
}
while IFS= read -r rel; do
  [ -n "$rel" ] || continue
  if remove "$rel"; then deleted=$((deleted + 1)); else skipped=$((skipped + 1)); fi
done <<EOF_PATHS
$(tr '\0' '\n')
EOF_PATHS
printf 'deleted=%s skipped=%s\n' "$deleted" "$skipped"
