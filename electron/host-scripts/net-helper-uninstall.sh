# net-helper-uninstall.sh MODE HELPER SUDOERS_DIR — removes this user's sudoers rule for the
# network helper, and the helper itself (and its folder) once no other rule names it. MODE as
# for net-helper-install.sh (the sudo password on standard input, never an argument).
# Exits: 50 no sudo, 51 sudo needs a password, 52 sudo refused the password, 56 a step as root failed.
mode=$1 helper=$2 sudoers_dir=$3
password=
if [ "$mode" = password ]; then IFS= read -r password || true; fi
command -v sudo >/dev/null 2>&1 || exit 50
as_root() {
  if [ "$mode" = password ]; then
    printf '%s\n' "$password" | sudo -S -p '' -- "$@"
  else
    sudo -n -- "$@"
  fi
}
if ! as_root true 2>/dev/null; then
  [ "$mode" = password ] && exit 52
  exit 51
fi
user=$(id -un)
as_root rm -f -- "$sudoers_dir/firedeck-$user" "$sudoers_dir/firedeck-$user.new" || exit 56
if [ -n "$(as_root grep -rlF -- "$helper" "$sudoers_dir" 2>/dev/null)" ]; then
  printf 'helper=kept\n'
  exit 0
fi
as_root rm -f -- "$helper" "$helper.new" || exit 56
as_root rmdir -- "${helper%/*}" 2>/dev/null
printf 'helper=removed\n'
