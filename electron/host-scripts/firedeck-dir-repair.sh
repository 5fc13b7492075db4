# firedeck-dir-repair.sh — makes ~/.firedeck private to the SSH user again, for trees made
# before every command ran under umask 077: folders 0700, files 0600, binaries under bin/ keep
# their owner's x bit (0700), FIFOs and sockets 0600. Only entries with another mode are
# touched, and symbolic links never (find does not follow them). Takes no arguments.
# Exits: 3 partial (some entries could not be changed; chmod says which on stderr).
dir="$HOME/.firedeck"
if [ -L "$dir" ] || [ ! -d "$dir" ]; then exit 0; fi
failed=0
find "$dir" -type d ! -perm 0700 -exec chmod 0700 {} + || failed=1
find "$dir" -path "$dir/bin" -prune -o -type f ! -perm 0600 -exec chmod 0600 {} + || failed=1
if [ -d "$dir/bin" ]; then
  find "$dir/bin" -type f -perm -u=x ! -perm 0700 -exec chmod 0700 {} + || failed=1
  find "$dir/bin" -type f ! -perm -u=x ! -perm 0600 -exec chmod 0600 {} + || failed=1
fi
find "$dir" \( -type p -o -type s \) ! -perm 0600 -exec chmod 0600 {} + || failed=1
[ "$failed" -eq 0 ] || exit 3
