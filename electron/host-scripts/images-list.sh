# images-list.sh DIR — the images in DIR, one line each:
#   SIZE <tab> SHA256 <tab> HEADER <tab> NAME
# HEADER is the file's first 64 bytes and NAME its name, both base64, so that neither a kernel
# header nor a file name can break a line. SHA256 is what NAME.sha256 recorded (may be empty).
# A missing DIR lists nothing.
dir=$1
cd -- "$dir" 2>/dev/null || exit 0
for f in *; do
  [ -f "$f" ] || continue
  case $f in *.sha256 | *.part | *.dl) continue ;; esac
  sum=
  if [ -f "$f.sha256" ]; then read -r sum < "$f.sha256" || true; fi
  printf '%s\t%s\t%s\t%s\n' "$(stat -c %s -- "$f")" "$sum" \
    "$(head -c 64 -- "$f" | base64 | tr -d '\n')" "$(printf '%s' "$f" | base64 | tr -d '\n')"
done
