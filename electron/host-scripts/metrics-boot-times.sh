# metrics-boot-times.sh FIREDECK_DIR — the config of every microVM under FIREDECK_DIR/vms, for their
# boot timings: @vm ID / config JSON (the first line of config.json). Builtins only.
for d in "$1"/vms/*/; do
  [ -d "$d" ] || continue
  d=${d%/}
  id=${d##*/}
  case $id in
    '' | *[!A-Za-z0-9-]*) continue ;;
  esac
  config=
  read -r config 2>/dev/null < "$d/config.json"
  printf '@vm %s\nconfig %s\n' "$id" "$config"
done
exit 0
