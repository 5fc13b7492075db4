# guest-sync-delete.sh DIR — runs in the guest. Reads paths relative to DIR on stdin, each ended
# by a NUL, and deletes each one that is still a file (or a link, never followed) inside DIR.
# Prints `deleted=N skipped=N`. Exits: 17 DIR is not a folder.
# Firedeck never plans a path with a line break, so the NULs become line ends for `read`; a path
# split that way anyway is only two paths that are each checked.
# The files of one folder are deleted together from inside that folder: cd -P into it, its
# physical path must lie in DIR, then one rm for ./NAME… (the names as rm's arguments, never as
# shell text). A link swapped in for a folder after the preview therefore leads nowhere outside.
# What remains is the race of a folder moved out of DIR between that check and the rm.
# Paths arrive sorted, so one folder's files come together: a few processes per folder, not per file.
set -eu
dir=$1
root=$(cd -P -- "$dir" 2>/dev/null && pwd -P) || exit 17
case $root in
  /) inside=/ ;;
  *) inside=$root/ ;;
esac
deleted=0
skipped=0
cur=
# Deletes the names in "$@" inside folder $cur; adds to the counts.
flush() {
  [ $# -gt 0 ] || return 0
  n=$#
  if gone=$(
    cd -P -- "$root/$cur" 2>/dev/null || exit 1
    case "$PWD/" in "$inside"*) ;; *) exit 1 ;; esac
    for name do
      shift
      if [ -L "./$name" ] || [ -f "./$name" ]; then set -- "$@" "./$name"; fi
    done
    [ $# -eq 0 ] || rm -f -- "$@" || exit 1
    printf '%s' "$#"
  ); then
    deleted=$((deleted + gone)) skipped=$((skipped + n - gone))
  else
    skipped=$((skipped + n))
  fi
}
set --
while IFS= read -r rel; do
  [ -n "$rel" ] || continue
  case "/$rel/" in
    *//* | */./* | */../*) skipped=$((skipped + 1)); continue ;;
  esac
  case "$rel" in
    */*) sub=${rel%/*} name=${rel##*/} ;;
    *) sub=. name=$rel ;;
  esac
  if [ "$sub" != "$cur" ] || [ $# -ge 500 ]; then
    flush "$@"
    set --
    cur=$sub
  fi
  set -- "$@" "$name"
done <<EOF_PATHS
$(tr '\0' '\n')
EOF_PATHS
flush "$@"
printf 'deleted=%s skipped=%s\n' "$deleted" "$skipped"
