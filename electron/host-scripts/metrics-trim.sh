# metrics-trim.sh FIREDECK_DIR LIMIT — empties every microVM's metrics file under FIREDECK_DIR/vms
# that is longer than LIMIT bytes. Run now and then while no window shows metrics, so the lines
# Firecracker writes once a minute on its own do not pile up on the host's disk. Prints nothing.
vms=$1/vms limit=$2
for f in "$vms"/*/metrics; do
  [ -f "$f" ] || continue
  size=$(wc -c < "$f")
  [ "$size" -gt "$limit" ] && : > "$f"
done
exit 0
