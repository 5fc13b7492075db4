# host-download.sh URL RELATIVE — the host downloads URL to $HOME/RELATIVE itself: into
# RELATIVE.part, renamed only when complete.
# exits: 10 no curl on the host, 20 the host cannot reach the server, 21 curl failed otherwise
#        (prints "curl exit N"), 22 the server answered with an HTTP error
url=$1
final="$HOME/$2"
part="$final.part"
command -v curl >/dev/null 2>&1 || exit 10
umask 077
mkdir -p -- "$(dirname -- "$final")"
rm -f -- "$part"
curl -fsSL --connect-timeout 10 --retry 1 -o "$part" "$url"
status=$?
if [ "$status" -eq 0 ]; then
  mv -f -- "$part" "$final" && exit 0
  status=$?
fi
rm -f -- "$part"
case $status in
  22) exit 22 ;;
  # could not resolve proxy/host, connect, timeout, TLS connect, no/short answer, receive error
  5 | 6 | 7 | 28 | 35 | 45 | 52 | 56) exit 20 ;;
esac
printf 'curl exit %s\n' "$status"
exit 21
