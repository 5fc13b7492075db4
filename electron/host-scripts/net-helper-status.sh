# net-helper-status.sh HELPER SHA256 SUDOERS_DIR — is the network helper installed as Firedeck
# ships it, and may this user run it? Prints key=value lines; exits 0 whatever it finds.
# installed=yes|no, sha256= (of the installed file), unsafe= (why root's file could have been
# changed by someone else), sudoers=yes|no, version= (what the helper says, run through sudo -n,
# only when the file is the one expected and safe) or sudo_error=.
helper=$1 expected=$2 sudoers_dir=$3
user=$(id -un)
if [ -e "$sudoers_dir/firedeck-$user" ]; then printf 'sudoers=yes\n'; else printf 'sudoers=no\n'; fi
if [ ! -e "$helper" ]; then
  printf 'installed=no\n'
  exit 0
fi
printf 'installed=yes\n'
sum=$(sha256sum <"$helper" 2>/dev/null)
sum=${sum%% *}
printf 'sha256=%s\n' "$sum"
unsafe=$(find "$helper" "${helper%/*}" -maxdepth 0 \( ! -user 0 -o -perm /022 \) 2>/dev/null | tr '\n' ' ')
if [ -n "$unsafe" ]; then
  printf 'unsafe=%s\n' "$unsafe"
  exit 0
fi
[ "$sum" = "$expected" ] || exit 0
if said=$(sudo -n -- "$helper" version 2>&1); then
  printf '%s\n' "$said"
else
  printf 'sudo_error=%s\n' "$(printf '%s' "$said" | tr '\n' ' ')"
fi
