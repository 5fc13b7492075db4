# net-helper-install.sh MODE HELPER SHA256 TEXT SUDOERS_DIR — installs the network helper TEXT
# root-owned at HELPER and the sudoers rule that lets this user (only) run it as root without a
# password. MODE is `passwordless` (sudo -n) or `password`: then the sudo password is the first
# line of standard input, never an argument. Both files are staged under names sudo and users
# ignore, checked (SHA-256, visudo -cf), then moved into place; a failure removes what it staged.
# Exits: 50 no sudo, 51 sudo needs a password, 52 sudo refused the password (or this user may not
# use sudo), 53 a user name sudoers.d would ignore, 54 the text arrived changed, 55 visudo refused
# the rule, 56 a step as root failed.
mode=$1 helper=$2 expected=$3 text=$4 sudoers_dir=$5
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
case $user in
  '' | -* | *[!A-Za-z0-9_-]*) exit 53 ;;
esac
rule_file=$sudoers_dir/firedeck-$user
staged_rule=$rule_file.new
staged_helper=$helper.new
tmp=$(mktemp -d) || exit 56
trap 'rm -rf -- "$tmp"' EXIT
printf '%s' "$text" >"$tmp/helper"
sum=$(sha256sum <"$tmp/helper")
[ "${sum%% *}" = "$expected" ] || exit 54
printf '# Firedeck: lets %s run the Firedeck network helper as root, and nothing else.\n%s ALL=(root) NOPASSWD: %s\n' "$user" "$user" "$helper" >"$tmp/sudoers"
undo() {
  as_root rm -f -- "$staged_helper" "$staged_rule"
  as_root rmdir -- "${helper%/*}" 2>/dev/null # only when this run made it (it is empty)
  exit "$1"
}
as_root install -d -o root -g root -m 755 -- "${helper%/*}" || undo 56
as_root install -o root -g root -m 755 -- "$tmp/helper" "$staged_helper" || undo 56
sum=$(sha256sum <"$staged_helper")
[ "${sum%% *}" = "$expected" ] || undo 54
as_root install -o root -g root -m 440 -- "$tmp/sudoers" "$staged_rule" || undo 56
as_root visudo -cf "$staged_rule" >/dev/null 2>&1 || undo 55
as_root mv -f -- "$staged_helper" "$helper" || undo 56
as_root mv -f -- "$staged_rule" "$rule_file" || undo 56
printf 'helper=%s\nsudoers=%s\n' "$helper" "$rule_file"
