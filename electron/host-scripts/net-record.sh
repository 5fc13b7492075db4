# net-record.sh DIR JSON — notes a microVM's network (or why it has none) in its config.json as
# "guestNetwork": JSON, which discovery reads back for the VM's summary. Done before Firecracker
# starts, so no other writer of config.json (the boot-timing watcher) runs yet. A key of that name
# already there (a clone's config copies its source's) is replaced by this one: JSON readers keep
# the last of a repeated key.
# Exits: 3 DIR has no config.json, or its first line is not one JSON object.
dir=$1 json=$2
cd -- "$dir" 2>/dev/null && [ -f config.json ] || exit 3
config=
read -r config < config.json
case $config in
  '{'*'}') ;;
  *) exit 3 ;;
esac
printf '%s,"guestNetwork":%s}\n' "${config%\}}" "$json" > config.json.net && mv -f config.json.net config.json
