# vm-bridge.sh DIR PORT — for the LAN `tcp` transport only, which the user chose knowing it is
# unsafe: socat listens on 0.0.0.0:PORT and forwards each connection to the VM's API socket.
# Started in DIR (so vm-kill.sh can tell it is this VM's) and detached from the SSH session.
# Waits (up to 5 s) until socat says it listens.
# Exits: 5 socat could not listen on PORT (taken), 6 socat is not installed.
set -u
umask 077
dir=$1 port=$2
command -v socat >/dev/null 2>&1 || exit 6
cd -- "$dir" || exit 1
rm -f -- bridge.log
# A relative socket path: socat reads `:` and `,` in an address as syntax.
setsid socat -d -d -lf bridge.log "TCP-LISTEN:$port,bind=0.0.0.0,fork,reuseaddr" UNIX-CONNECT:api.sock </dev/null >/dev/null 2>&1 &
pid=$!
i=0
until grep -q 'listening on' bridge.log 2>/dev/null; do
  kill -0 "$pid" 2>/dev/null || exit 5
  if [ "$i" -ge 100 ]; then
    kill "$pid"
    exit 5
  fi
  sleep 0.05
  i=$((i + 1))
done
printf '%s\n' "$pid" > bridge.pid
printf '%s\n' "$port" > bridge.port
