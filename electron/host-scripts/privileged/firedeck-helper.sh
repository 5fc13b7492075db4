#!/bin/sh
# firedeck-helper — the one program Firedeck runs as root on a host, through one sudoers rule
# (/etc/sudoers.d/firedeck-USER). Installed root-owned at /usr/local/libexec/firedeck/firedeck-helper;
# Firedeck checks its SHA-256 against the text it ships before every use.
#
# It does a microVM's network plumbing and nothing else:
#   net-up UID VMID INDEX POOL  namespace fdUID-VMID holding tap0 (owned by UID, 172.16.0.1/30) and
#                               veth0, joined to the host by veth fdvINDEX; block INDEX (a /30) of
#                               POOL gives the host end .1 and veth0 .2; NAT in the namespace (.2 <->
#                               the guest's 172.16.0.2) and on the host (the pool out of the host)
#   net-down UID VMID           removes all of that again (nothing there is not an error)
#   net-list UID                what exists of UID's VM networks, as key=value lines
#   net-exec UID VMID -- CMD…   runs CMD as UID, without any privilege, inside that namespace
#                               (how an unjailed Firecracker gets to open tap0)
#   version
#   jail-start|jail-stop|jail-snapshot|jail-list  the jailer (see the jail section below)
# Every argument is checked against a strict pattern before
# anything runs, and UID must be the user who ran sudo (SUDO_UID).
#
# Exits: 64 usage or unknown subcommand, 65 an argument with characters outside [A-Za-z0-9./-],
# 66 a uid that is not the caller's, 67 not run as root through sudo, 68 a bad VM id, 69 an index
# outside the pool, 70 a bad pool, 71 the pool overlaps a host route, 72 the index is in use,
# 73 the VM's network is already up, 74 a tool is missing, 75 setting up failed (and was undone),
# 76 another helper run holds the lock, 77 the VM has no network.
set -u
PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin
LC_ALL=C
export PATH LC_ALL
umask 022

VERSION=1
HELPER_DIR=/usr/local/libexec/firedeck
LOG_FILE=/var/log/firedeck-helper.log
TABLE=firedeck
GUEST=172.16.0.2
TAP_ADDRESS=172.16.0.1/30

log() {
  # Control characters from a refused argument must not forge log lines.
  line=$(printf '%s' "$*" | tr -c '[:print:]' '?')
  # syslog when there is one; a root-owned file when logger is missing or nothing listens on
  # /dev/log (logger reports that only when asked: --socket-errors=on).
  if ! logger --socket-errors=on -t firedeck-helper -- "$line" 2>/dev/null; then
    printf '%s %s\n' "$(date -u +%Y-%m-%dT%H:%M:%SZ)" "$line" >>"$LOG_FILE"
  fi
}

refuse() {
  code=$1
  shift
  log "refused (uid ${SUDO_UID:-none}): $*"
  printf 'firedeck-helper: %s\n' "$*" >&2
  exit "$code"
}

# --- argument checks: nothing runs before these pass ---------------------------------------

check_chars() {
  case $1 in
    '' | *[!A-Za-z0-9./-]*) refuse 65 "refusing an argument with characters other than letters, digits, '.', '/' and '-'" ;;
  esac
}

check_caller() {
  if [ "$(id -u)" != 0 ] || [ -z "${SUDO_UID:-}" ]; then refuse 67 'run me as root through sudo'; fi
}

check_uid() {
  case $1 in
    0 | 0* | *[!0-9]*) refuse 66 "not a user id of an ordinary user: $1" ;;
  esac
  [ "${#1}" -le 10 ] || refuse 66 "not a user id: $1"
  [ "$1" = "$SUDO_UID" ] || refuse 66 "uid $1 is not the user who ran sudo ($SUDO_UID)"
  uid=$1
}

check_vmid() {
  case $1 in
    -* | *[!A-Za-z0-9-]*) refuse 68 "not a microVM id: $1" ;;
  esac
  [ "${#1}" -le 64 ] || refuse 68 'a microVM id has at most 64 characters'
  vmid=$1
  ns=fd$uid-$vmid
}

# Sets $ip_int from a dotted quad; fails on anything else.
ip_to_int() {
  case $1 in
    *[!0-9.]* | .* | *. | *..*) return 1 ;;
  esac
  old_ifs=$IFS
  IFS=.
  # shellcheck disable=SC2086 # splitting on dots is the point; only digits and dots remain
  set -- $1
  IFS=$old_ifs
  [ "$#" -eq 4 ] || return 1
  ip_int=0
  for octet in "$@"; do
    case $octet in
      0 | [1-9] | [1-9][0-9] | [1-9][0-9][0-9]) ;;
      *) return 1 ;;
    esac
    [ "$octet" -le 255 ] || return 1
    ip_int=$((ip_int * 256 + octet))
  done
}

int_to_ip() {
  printf '%d.%d.%d.%d' $(($1 >> 24 & 255)) $(($1 >> 16 & 255)) $(($1 >> 8 & 255)) $(($1 & 255))
}

mask_of() {
  if [ "$1" -eq 0 ]; then printf 0; else printf '%d' $(((4294967295 << (32 - $1)) & 4294967295)); fi
}

# Do a/p and b/q (integers and prefix lengths) share an address?
overlaps() {
  shorter=$2
  [ "$4" -lt "$shorter" ] && shorter=$4
  m=$(mask_of "$shorter")
  [ $(($1 & m)) -eq $(($3 & m)) ]
}

check_pool() {
  pool=$1
  case $pool in
    */*) ;;
    *) refuse 70 "a pool is an IPv4 network such as 10.231.0.0/16: $pool" ;;
  esac
  pool_prefix=${pool#*/}
  case $pool_prefix in
    1[2-9] | 2[0-9] | 30) ;;
    *) refuse 70 "a pool's prefix length is 12 to 30: $pool" ;;
  esac
  ip_to_int "${pool%/*}" || refuse 70 "a pool is an IPv4 network such as 10.231.0.0/16: $pool"
  pool_int=$ip_int
  [ $((pool_int & ~$(mask_of "$pool_prefix") & 4294967295)) -eq 0 ] || refuse 70 "$pool is not a network address (its host bits are set)"
  # Private ranges only (RFC 1918), and never the guests' own 172.16.0.0/30.
  if ! { overlaps "$pool_int" "$pool_prefix" 167772160 8 && [ "$pool_prefix" -ge 8 ]; } &&
    ! { overlaps "$pool_int" "$pool_prefix" 2886729728 12 && [ "$pool_prefix" -ge 12 ]; } &&
    ! { overlaps "$pool_int" "$pool_prefix" 3232235520 16 && [ "$pool_prefix" -ge 16 ]; }; then
    refuse 70 "$pool is not inside a private range (10.0.0.0/8, 172.16.0.0/12, 192.168.0.0/16)"
  fi
  overlaps "$pool_int" "$pool_prefix" 2886729728 30 && refuse 70 "$pool overlaps 172.16.0.0/30, the guests' own network"
  blocks=$((1 << (30 - pool_prefix)))
}

check_index() {
  case $1 in
    0 | [1-9] | [1-9][0-9] | [1-9][0-9][0-9] | [1-9][0-9][0-9][0-9] | [1-9][0-9][0-9][0-9][0-9] | [1-9][0-9][0-9][0-9][0-9][0-9]) ;;
    *) refuse 69 "not an index: $1" ;;
  esac
  [ "$1" -lt "$blocks" ] || refuse 69 "index $1 is outside $pool ($blocks blocks of 4 addresses)"
  index=$1
  veth=fdv$index
}

need() {
  command -v "$1" >/dev/null 2>&1 || refuse 74 "$1 is missing on this host ($2)"
}

take_lock() {
  [ -d "$HELPER_DIR" ] || refuse 74 "$HELPER_DIR is missing: reinstall the helper"
  exec 9<"$HELPER_DIR"
  flock -w 30 9 || refuse 76 'another firedeck-helper run did not finish within 30 s'
}

# --- the work ---------------------------------------------------------------------------------

# Runs a command, keeping its complaint for the message when it fails.
run() {
  if ! out=$("$@" 2>&1); then
    failed="$* — $out"
    return 1
  fi
}

ns_exists() {
  [ -e "/run/netns/$1" ]
}

# Routes of the host (every table) other than the default and Firedeck's own fdv* links, as "dst".
host_routes() {
  ip -4 route show table all | awk '
    /^[ \t]/ { next }
    {
      dst = $1
      if (dst ~ /^(local|broadcast|unicast|anycast|multicast|unreachable|blackhole|prohibit|throw|nat)$/) dst = $2
      dev = ""
      for (i = 1; i < NF; i++) if ($i == "dev") dev = $(i + 1)
      if (dst == "default" || dev ~ /^fdv[0-9]+$/) next
      print dst
    }'
}

check_overlap() {
  for route in $(host_routes); do
    case $route in
      */*) r_prefix=${route#*/} r_addr=${route%/*} ;;
      *) r_prefix=32 r_addr=$route ;;
    esac
    ip_to_int "$r_addr" || continue
    if overlaps "$pool_int" "$pool_prefix" "$ip_int" "$r_prefix"; then
      refuse 71 "the pool $pool overlaps the host route $route"
    fi
  done
}

rule_handles() {
  nft -a list chain ip "$TABLE" postrouting 2>/dev/null | sed -n "s/.* comment \"$1\" # handle \([0-9][0-9]*\)\$/\1/p"
}

ensure_host_table() {
  if ! nft list table ip "$TABLE" >/dev/null 2>&1; then
    # The table remembers whether forwarding was off, so the last net-down can turn it off again.
    forwarding=$(cat /proc/sys/net/ipv4/ip_forward)
    nft -f - <<EOF || return 1
table ip $TABLE {
  comment "ip_forward was $forwarding"
  chain postrouting { type nat hook postrouting priority srcnat; policy accept; }
  chain forward {
    type filter hook forward priority filter; policy accept;
    oifname "fdv*" ct state established,related accept comment "firedeck"
    oifname "fdv*" drop comment "firedeck"
  }
}
EOF
  fi
  run sysctl -q -w net.ipv4.ip_forward=1
}

drop_host_table_if_unused() {
  nft list table ip "$TABLE" >/dev/null 2>&1 || return 0
  nft list chain ip "$TABLE" postrouting | grep -q 'comment "fd' && return 0
  was=$(nft list table ip "$TABLE" | sed -n 's/.*comment "ip_forward was \([01]\)".*/\1/p')
  nft delete table ip "$TABLE"
  if [ "$was" = 0 ]; then sysctl -q -w net.ipv4.ip_forward=0; fi
}

# Everything of the VM $ns: its host veth (which takes veth0 with it), its namespace (tap0 with
# it), its host rule; then the table when no VM uses it any more.
remove_vm() {
  for link in $(ip -o link show type veth 2>/dev/null | awk -v ns="$ns" '{ for (i = 1; i < NF; i++) if ($i == "link-netns" && $(i + 1) == ns) { name = $2; sub(/@.*/, "", name); sub(/:$/, "", name); print name } }'); do
    case $link in fdv[0-9]*) ip link del dev "$link" 2>/dev/null ;; esac
  done
  if ns_exists "$ns"; then ip netns del "$ns"; fi
  command -v nft >/dev/null 2>&1 || return 0
  for handle in $(rule_handles "$ns"); do
    nft delete rule ip "$TABLE" postrouting handle "$handle"
  done
  drop_host_table_if_unused
}

build_vm() {
  base=$((pool_int + 4 * index))
  host_address=$(int_to_ip $((base + 1)))
  vm_address=$(int_to_ip $((base + 2)))
  block=$(int_to_ip "$base")/30
  run ip netns add "$ns" &&
    run ip -n "$ns" link set lo up &&
    run ip -n "$ns" tuntap add dev tap0 mode tap user "$uid" &&
    run ip -n "$ns" addr add "$TAP_ADDRESS" dev tap0 &&
    run ip -n "$ns" link set tap0 up &&
    run ip link add "$veth" type veth peer name veth0 netns "$ns" &&
    run ip addr add "$host_address/30" dev "$veth" &&
    run ip link set "$veth" up &&
    run ip -n "$ns" addr add "$vm_address/30" dev veth0 &&
    run ip -n "$ns" link set veth0 up &&
    run ip -n "$ns" route add default via "$host_address" &&
    run ip netns exec "$ns" sysctl -q -w net.ipv4.ip_forward=1 &&
    run ip netns exec "$ns" nft -f - <<EOF &&
table ip $TABLE {
  chain prerouting {
    type nat hook prerouting priority dstnat; policy accept;
    iifname "veth0" ip daddr $vm_address dnat to $GUEST
  }
  chain postrouting {
    type nat hook postrouting priority srcnat; policy accept;
    oifname "veth0" ip saddr 172.16.0.0/30 snat to $vm_address
  }
}
EOF
    { ensure_host_table || { failed="${failed:-nft could not create the table $TABLE}" && false; }; } &&
    run nft add rule ip "$TABLE" postrouting ip saddr "$block" oifname != '"fdv*"' masquerade comment "\"$ns\""
}

net_up() {
  [ "$#" -eq 4 ] || refuse 64 'usage: net-up UID VMID INDEX POOL'
  check_uid "$1"
  check_vmid "$2"
  check_pool "$4"
  check_index "$3"
  need ip 'install iproute2'
  need nft 'install nftables: sudo apt-get install nftables'
  take_lock
  ns_exists "$ns" && refuse 73 "the network of $vmid is already up ($ns)"
  ip link show dev "$veth" >/dev/null 2>&1 && refuse 72 "index $index ($veth) is in use"
  check_overlap
  log "net-up $ns index $index pool $pool"
  failed=
  if ! build_vm; then
    remove_vm
    refuse 75 "setting up the network of $vmid failed and was undone: $failed"
  fi
  printf 'netns=%s\nindex=%s\nveth=%s\nhost_address=%s\nvm_address=%s\n' "$ns" "$index" "$veth" "$host_address" "$vm_address"
}

net_down() {
  [ "$#" -eq 2 ] || refuse 64 'usage: net-down UID VMID'
  check_uid "$1"
  check_vmid "$2"
  need ip 'install iproute2'
  take_lock
  log "net-down $ns"
  existed=no
  if ns_exists "$ns" || { command -v nft >/dev/null 2>&1 && [ -n "$(rule_handles "$ns")" ]; }; then existed=yes; fi
  remove_vm
  printf 'removed=%s\n' "$existed"
}

net_list() {
  [ "$#" -eq 1 ] || refuse 64 'usage: net-list UID'
  check_uid "$1"
  need ip 'install iproute2'
  entry=$(getent passwd "$uid")
  home=$(printf '%s' "$entry" | cut -d: -f6)
  gid=$(printf '%s' "$entry" | cut -d: -f4)
  links=$(ip -o link show type veth 2>/dev/null | awk '{ name = $2; sub(/@.*/, "", name); sub(/:$/, "", name); ns = ""; for (i = 1; i < NF; i++) if ($i == "link-netns") ns = $(i + 1); if (name ~ /^fdv[0-9]+$/) print name, ns }')
  printf '%s\n' "$links" | while read -r link _; do
    [ -n "$link" ] && printf 'index_used=%s\n' "${link#fdv}"
  done
  rules=
  if command -v nft >/dev/null 2>&1; then
    rules=$(nft list chain ip "$TABLE" postrouting 2>/dev/null | sed -n "s/.* comment \"fd$uid-\([A-Za-z0-9-]*\)\"\$/\1/p")
  fi
  names=
  for f in /run/netns/fd"$uid"-*; do
    [ -e "$f" ] && names="$names ${f##*/fd"$uid"-}"
  done
  # shellcheck disable=SC2086 # both are lists of VM ids (letters, digits and '-')
  for vm in $(printf '%s\n' $names $rules | sort -u); do
    ns=fd$uid-$vm
    netns=no
    ns_exists "$ns" && netns=yes
    rule=no
    printf '%s\n' "$rules" | grep -qx -- "$vm" && rule=yes
    link=$(printf '%s\n' "$links" | awk -v ns="$ns" '$2 == ns { print $1; exit }')
    dir=no
    # Looked at as the user: root would follow the user's symlinks anywhere.
    if [ -n "$home" ] && [ -n "$gid" ] && setpriv --reuid="$uid" --regid="$gid" --clear-groups -- test -d "$home/.firedeck/vms/$vm" 2>/dev/null; then dir=yes; fi
    printf 'vm=%s netns=%s veth=%s rule=%s vm_dir=%s\n' "$vm" "$netns" "${link:-none}" "$rule" "$dir"
  done
}

net_exec() {
  if [ "$#" -lt 4 ] || [ "$3" != -- ]; then refuse 64 'usage: net-exec UID VMID -- COMMAND [ARGUMENT…]'; fi
  # Only UID and VMID are the helper's to check; the command runs as the caller, unprivileged.
  check_chars "$1"
  check_chars "$2"
  check_uid "$1"
  check_vmid "$2"
  shift 3
  ns_exists "$ns" || refuse 77 "$vmid has no network ($ns does not exist)"
  gid=$(getent passwd "$uid" | cut -d: -f4)
  [ -n "$gid" ] || refuse 66 "uid $uid has no passwd entry"
  need setpriv 'install util-linux'
  log "net-exec $ns: $1"
  exec ip netns exec "$ns" setpriv --reuid="$uid" --regid="$gid" --init-groups --inh-caps=-all --bounding-set=-all --no-new-privs --reset-env -- "$@"
}

# --- jail: microVMs under Firecracker's jailer (own functions; see "jail-*" below) -------------
#   jail-start UID VMID UID_MIN UID_MAX vm|host VCPUS MEM_MIB OVERHEAD_MIB NETNS JAILER EXEC_FILE RUNDIR [KIND INSIDE SOURCE]…
#       builds the chroot JAIL_BASE/uUID/<exec file name>/VMID/root, puts each file into it at
#       INSIDE (KIND link: a hard link of SOURCE, the caller's own regular file, made group JGID
#       0660 for the jail; copy: a read-only copy of SOURCE read as the caller; dir: an empty
#       folder of the jail's own), then runs JAILER (root-owned, as EXEC_FILE) with a jail uid
#       and gid from UID_MIN..UID_MAX (one per VM, or one per caller: vm|host), cgroup v2 cpu.max/memory.max from VCPUS and MEM_MIB+OVERHEAD_MIB where the
#       host's v2 hierarchy offers those controllers, --netns of the VM's namespace (NETNS is
#       fdUID-VMID or -), --resource-limit no-file, --new-pid-ns; stdin, stdout and stderr stay
#       the caller's (the console), the report goes to stderr. The API socket is hard-linked to
#       <jail>/api.sock, owned by UID, mode 0600: the only way in for anyone but root.
#   jail-stop UID VMID      kills what runs in the jail, gives the linked files back to UID
#                           (their group and mode), removes the cgroup and the jail, and releases
#                           the jail uid when no other jail of UID uses it
#   jail-snapshot UID VMID NAME prepare|export  makes the jail's folder for snapshot NAME (as
#                           the jail's uid), then hands what Firecracker wrote there to UID
#   jail-list UID           one line per jail of UID: vm=ID alive=yes|no
# Exits: 78 a file to link is not the caller's own regular file, 79 it is on another filesystem
# than the jails, 80 the jail uid/gid is refused (an existing user or group, or another user's
# jail uid), 81 the jailer or the exec file could be changed by someone other than root, 82 the
# jail exists already, 83 the jailer failed (its text is on the console log), 84 no API socket
# within 5 s, 85 no such jail, 86 a bad number.
JAIL_BASE=/var/lib/firedeck/jail
JAIL_UID_MIN=10000
JAIL_UID_MAX=2147483646
JAIL_SOCKET=/run/firecracker.socket
JAIL_NOFILE=4096

# Jail arguments are numbers, ids, paths and file kinds: letters, digits, '.', '_', '/' and '-'.
check_jail_chars() {
  case $1 in
    '' | *[!A-Za-z0-9._/-]*) refuse 65 "refusing an argument with characters other than letters, digits, '.', '_', '/' and '-'" ;;
  esac
}

check_number() { # VALUE MIN MAX WHAT
  case $1 in
    '' | 0?* | *[!0-9]*) refuse 86 "$4 is not a number: $1" ;;
  esac
  if [ "${#1}" -gt 10 ] || [ "$1" -lt "$2" ] || [ "$1" -gt "$3" ]; then refuse 86 "$4 must be from $2 to $3: $1"; fi
}

# An absolute path of letters, digits, '.', '_', '-' and '/', without '.' or '..' parts.
check_path() {
  case $1 in
    /*) ;;
    *) refuse 65 "not an absolute path: $1" ;;
  esac
  case $1 in
    *[!A-Za-z0-9._/-]* | *//* | */./* | */../* | */. | */..) refuse 65 "refusing the path $1" ;;
  esac
}

# The jailer runs as root: it and the exec file, and every folder above them, must be root's
# alone (prod-host-setup.md: "not writable by unprivileged users").
check_root_owned() {
  check_path "$1"
  if [ ! -f "$1" ] || [ -L "$1" ]; then refuse 81 "$1 is not a file"; fi
  p=$1
  while [ -n "$p" ]; do
    [ -n "$(find -H "$p" -maxdepth 0 -user 0 ! -perm /022 2>/dev/null)" ] || refuse 81 "$p can be changed by users other than root; install Firecracker with sudo (into /usr/local/bin)"
    p=${p%/*}
  done
}

jail_args() { # UID VMID: sets uid, vmid, base, the caller's gid
  check_uid "$1"
  check_vmid "$2"
  gid=$(getent passwd "$uid" | cut -d: -f4)
  [ -n "$gid" ] || refuse 66 "uid $uid has no passwd entry"
  base=$JAIL_BASE/u$uid
}

# The jail directory of VMID, whatever the exec file's name was; empty when there is none.
find_jail() {
  jail=
  for j in "$base"/*/"$vmid"; do
    [ -d "$j" ] && [ ! -L "$j" ] && jail=$j
  done
}

# Picks the jail uid (and gid, the same number) from uid_min..uid_max: one no user and no group
# has, that is no other caller's jail uid, and (mode vm) not used by another jail of the caller.
# In mode host the caller's jail uid in the range is reused. Claims it in JAIL_BASE/uids (root's).
pick_uid() {
  mkdir -p "$JAIL_BASE/uids"
  chmod 0700 "$JAIL_BASE/uids"
  juid=
  if [ "$mode" = host ]; then
    for c in "$JAIL_BASE"/uids/*; do
      if [ ! -f "$c" ] || [ "$(cat "$c")" != "$uid" ]; then continue; fi
      n=${c##*/}
      [ "$n" -ge "$uid_min" ] && [ "$n" -le "$uid_max" ] && juid=$n && break
    done
  fi
  n=$uid_min
  while [ -z "$juid" ] && [ "$n" -le "$uid_max" ]; do
    if [ ! -e "$JAIL_BASE/uids/$n" ] && ! getent passwd "$n" >/dev/null && ! getent group "$n" >/dev/null; then
      printf '%s\n' "$uid" >"$JAIL_BASE/uids/$n"
      juid=$n
    fi
    n=$((n + 1))
  done
  [ -n "$juid" ] || refuse 80 "no uid from $uid_min to $uid_max is free for a jail (each is a user's, a group's or another jail's)"
  jgid=$juid
}

cgroup2_root() {
  awk '$3 == "cgroup2" { print $2; exit }' /proc/mounts
}

# tap0 of the VM's namespace made anew for OWNER:GROUP (a persistent tap opens only for its
# owner): the jail's uid while it runs, the caller's again when it goes.
jail_tap_owner() { # OWNER GROUP
  failed=
  run ip -n "$ns" link del tap0 &&
    run ip -n "$ns" tuntap add dev tap0 mode tap user "$1" group "$2" &&
    run ip -n "$ns" addr add "$TAP_ADDRESS" dev tap0 &&
    run ip -n "$ns" link set tap0 up
}

jail_place() { # KIND INSIDE SOURCE, in the chroot $root
  kind=$1 inside=$2 source=$3
  check_path "$inside"
  # The jailer's own places in the chroot are not for files of the caller's.
  case $inside in
    /dev | /dev/* | /run | /run/* | /proc | /proc/* | "/$exec_name" | "/$exec_name.pid") refuse 65 "$inside is the jailer's place in the chroot" ;;
  esac
  dest=$root$inside
  mkdir -p "${dest%/*}"
  case $kind in
    dir)
      mkdir -p "$dest"
      chown "$juid:$jgid" "$dest"
      chmod 0700 "$dest"
      ;;
    link)
      check_path "$source"
      if ! out=$(ln -P -- "$source" "$dest" 2>&1); then
        case $out in
          *'cross-device'* | *'Invalid cross'*) refuse 79 "$source is on another filesystem than $JAIL_BASE; keep ~/.firedeck on the same filesystem as /var/lib" ;;
          *) refuse 78 "cannot link $source: $out" ;;
        esac
      fi
      # Checked on the link, in root's folder, where nobody else can swap it.
      if [ -L "$dest" ] || [ ! -f "$dest" ] || [ "$(stat -c %u -- "$dest")" != "$uid" ]; then
        rm -f -- "$dest"
        refuse 78 "$source is not your own regular file"
      fi
      chgrp "$jgid" -- "$dest"
      chmod 0660 -- "$dest"
      printf '%s\n' "$inside" >>"$jail/links"
      ;;
    copy)
      check_path "$source"
      setpriv --reuid="$uid" --regid="$gid" --clear-groups -- cat -- "$source" >"$dest" || refuse 78 "cannot read $source as uid $uid"
      chown "0:$jgid" -- "$dest"
      chmod 0440 -- "$dest"
      ;;
    *) refuse 64 "not a file kind: $kind" ;;
  esac
}

# Kills every process whose / is the chroot, and waits (at most 5 s) until they are gone.
jail_kill() {
  [ -d "$1" ] || return 0
  i=0
  while :; do
    left=
    for p in /proc/[0-9]*; do
      # shellcheck disable=SC3013 # -ef: not POSIX, but dash, bash and busybox ash all have it
      if [ "$p/root" -ef "$1" ]; then
        kill -9 "${p#/proc/}" 2>/dev/null
        left=yes
      fi
    done
    [ -z "$left" ] && return 0
    [ "$i" -ge 250 ] && return 1
    sleep 0.02
    i=$((i + 1))
  done
}

jail_remove_cgroup() { # DIR
  [ -d "$1" ] || return 0
  i=0
  until rmdir "$1" 2>/dev/null; do
    [ "$i" -ge 250 ] && return 1
    sleep 0.02
    i=$((i + 1))
  done
  # The user's parent goes with its last VM.
  rmdir "${1%/*}" 2>/dev/null
  return 0
}

# Everything of the jail $jail of the caller: its processes, the linked files given back (their
# group and mode as the caller's), its cgroup, its folder, and the jail uid's claim when no other
# jail of the caller uses it. Sets failed= when a part stays.
jail_teardown() {
  failed=
  root=$jail/root
  jail_kill "$root" || failed='its processes did not end'
  while read -r inside; do
    f=$root$inside
    # Only where no folder on the way was swapped for a symlink while the VM ran (its uid owns
    # the chroot's top folder).
    if [ "$(readlink -f -- "$f")" = "$f" ] && [ -f "$f" ] && [ "$(stat -c %u -- "$f")" = "$uid" ]; then
      chgrp "$gid" -- "$f"
      chmod 0600 -- "$f"
    fi
  done <"$jail/links"
  juid=$(cat "$jail/uid" 2>/dev/null)
  if [ -f "$jail/netns" ] && ns_exists "$ns"; then
    # Not worth keeping the jail for: the namespace goes with the VM's network anyway.
    kept=$failed
    jail_tap_owner "$uid" "$gid" || log "tap0 of $ns not given back to uid $uid: $failed"
    failed=$kept
  fi
  cgroup_root=$(cgroup2_root)
  if [ -n "$cgroup_root" ]; then jail_remove_cgroup "$cgroup_root/firedeck/u$uid/$vmid" || failed='its cgroup stayed busy'; fi
  [ -z "$failed" ] || return 1
  rm -rf --one-file-system -- "$jail"
  # The exec file's folder and the caller's base go with their last jail.
  rmdir "${jail%/*}" 2>/dev/null && rmdir "$base" 2>/dev/null
  in_use=
  for other in "$base"/*/*/uid; do
    [ -f "$other" ] && [ "$(cat "$other")" = "$juid" ] && in_use=yes
  done
  if [ -z "$in_use" ] && [ -n "$juid" ] && [ "$(cat "$JAIL_BASE/uids/$juid" 2>/dev/null)" = "$uid" ]; then
    rm -f -- "$JAIL_BASE/uids/$juid"
  fi
  return 0
}

jail_start() {
  [ "$#" -ge 12 ] || refuse 64 'usage: jail-start UID VMID UID_MIN UID_MAX vm|host VCPUS MEM_MIB OVERHEAD_MIB NETNS JAILER EXEC_FILE RUNDIR [KIND INSIDE SOURCE]…'
  jail_args "$1" "$2"
  check_number "$3" "$JAIL_UID_MIN" "$JAIL_UID_MAX" 'the first jail uid'
  check_number "$4" "$3" "$JAIL_UID_MAX" 'the last jail uid'
  uid_min=$3 uid_max=$4
  case $5 in vm | host) mode=$5 ;; *) refuse 64 "one jail uid per vm or per host, not: $5" ;; esac
  shift 5
  check_number "$1" 1 64 'the vCPU count'
  check_number "$2" 1 1048576 'the memory size'
  check_number "$3" 0 65536 'the memory overhead'
  vcpus=$1 mem=$2 overhead=$3
  netns_arg=
  if [ "$4" != - ]; then
    [ "$4" = "$ns" ] || refuse 64 "the namespace of $vmid is $ns, not $4"
    ns_exists "$ns" || refuse 77 "$vmid has no network ($ns does not exist)"
    netns_arg=/run/netns/$ns
  fi
  check_root_owned "$5"
  jailer=$5
  check_root_owned "$6"
  exec_file=$6
  check_path "$7"
  rundir=$7
  shift 7
  [ $(($# % 3)) -eq 0 ] || refuse 64 'files come as KIND INSIDE SOURCE'
  need setpriv 'install util-linux'
  take_lock
  exec_name=${exec_file##*/}
  find_jail
  [ -n "$jail" ] && refuse 82 "the jail of $vmid exists already ($jail)"
  pick_uid
  chmod 0711 "$JAIL_BASE"
  mkdir -p "$base"
  chmod 0711 "$base"
  jail=$base/$exec_name/$vmid
  root=$jail/root
  mkdir -p "$root"
  printf '%s\n' "$juid" >"$jail/uid"
  : >"$jail/links"
  # From here on, a refusal or a failure takes away everything this start made.
  trap 'jail_teardown' EXIT
  while [ "$#" -gt 0 ]; do
    jail_place "$1" "$2" "$3"
    shift 3
  done
  if [ -n "$netns_arg" ]; then
    need ip 'install iproute2'
    printf '%s\n' "$ns" >"$jail/netns"
    jail_tap_owner "$juid" "$jgid" || refuse 75 "tap0 of $ns could not be given to the jail: $failed"
  fi
  log "jail-start $vmid uid $juid gid $jgid for uid $uid"

  # cgroup v2 limits where the host's v2 hierarchy offers the controllers; said where it does not.
  parent=firedeck/u$uid
  cgroup_root=$(cgroup2_root)
  available=
  [ -n "$cgroup_root" ] && available=" $(cat "$cgroup_root/cgroup.controllers" 2>/dev/null) "
  cpu_max='' memory_max='' missing=''
  case $available in *' cpu '*) cpu_max="$((vcpus * 100000)) 100000" ;; *) missing="$missing,cpu" ;; esac
  case $available in *' memory '*) memory_max=$(((mem + overhead) * 1048576)) ;; *) missing="$missing,memory" ;; esac
  set -- --id "$vmid" --exec-file "$exec_file" --uid "$juid" --gid "$jgid" --chroot-base-dir "$base" \
    --cgroup-version 2 --parent-cgroup "$parent" --resource-limit "no-file=$JAIL_NOFILE" --new-pid-ns
  [ -n "$cpu_max" ] && set -- "$@" --cgroup "cpu.max=$cpu_max"
  [ -n "$memory_max" ] && set -- "$@" --cgroup "memory.max=$memory_max"
  [ -n "$netns_arg" ] && set -- "$@" --netns "$netns_arg"
  set -- "$@" -- --api-sock "$JAIL_SOCKET"
  grep -qx -- "$rundir/firecracker.log" "$jail/links" && set -- "$@" --log-path "$rundir/firecracker.log"
  # The jailer's and Firecracker's output is the console's (stdout); this helper reports on stderr.
  if ! "$jailer" "$@" 2>&1; then
    refuse 83 "the jailer failed for $vmid (its message is at the end of the console log)"
  fi
  pid=
  i=0
  while [ ! -S "$root$JAIL_SOCKET" ]; do
    read -r pid 2>/dev/null <"$root/$exec_name.pid"
    if [ "$i" -ge 100 ] || { [ -n "$pid" ] && ! kill -0 "$pid" 2>/dev/null; }; then
      refuse 84 "Firecracker in the jail of $vmid did not open its API socket within 5 s"
    fi
    sleep 0.05
    i=$((i + 1))
  done
  read -r pid <"$root/$exec_name.pid"
  ln -f -- "$root$JAIL_SOCKET" "$jail/api.sock"
  chown "$uid:$gid" -- "$jail/api.sock"
  chmod 0600 -- "$jail/api.sock"
  printf '%s\n' "$rundir" >"$jail/rundir"
  stat=$(cat "/proc/$pid/stat")
  # shellcheck disable=SC2086 # the fields after the command name
  set -- ${stat##*) }
  shift 19
  trap - EXIT
  cgroup=none
  [ -n "$cpu_max$memory_max" ] && cgroup=$cgroup_root/$parent/$vmid
  {
    printf 'pid=%s\nstarttime=%s\nuid=%s\ngid=%s\nchroot=%s\nsocket=%s\ncgroup=%s\n' "$pid" "$1" "$juid" "$jgid" "$root" "$jail/api.sock" "$cgroup"
    printf 'cpu_max=%s\nmemory_max=%s\ncgroup_missing=%s\navailable=%s\nseccomp=on\nnetns=%s\nnofile=%s\n' \
      "$(printf '%s' "$cpu_max" | tr ' ' /)" "$memory_max" "${missing#,}" "$(printf '%s' "$available" | sed 's/^ *//; s/ *$//' | tr ' ' ,)" "${netns_arg:-none}" "$JAIL_NOFILE"
  } >&2
}

jail_stop() {
  [ "$#" -eq 2 ] || refuse 64 'usage: jail-stop UID VMID'
  jail_args "$1" "$2"
  take_lock
  find_jail
  if [ -z "$jail" ]; then
    printf 'removed=no\n'
    return 0
  fi
  log "jail-stop $vmid for uid $uid"
  jail_teardown || refuse 75 "the jail of $vmid could not be removed whole: $failed"
  printf 'removed=yes\n'
}

jail_snapshot() {
  [ "$#" -eq 4 ] || refuse 64 'usage: jail-snapshot UID VMID NAME prepare|export'
  jail_args "$1" "$2"
  case $3 in
    [A-Za-z0-9]*) ;;
    *) refuse 65 "not a snapshot name: $3" ;;
  esac
  case $3 in *[!A-Za-z0-9._-]* | *..*) refuse 65 "not a snapshot name: $3" ;; esac
  [ "${#3}" -le 64 ] || refuse 65 'a snapshot name has at most 64 characters'
  name=$3
  find_jail
  [ -n "$jail" ] || refuse 85 "$vmid has no jail"
  root=$jail/root
  rundir=$(cat "$jail/rundir")
  juid=$(cat "$jail/uid")
  jgid=$(stat -c %g -- "$root")
  inside=$root$rundir/snapshots/$name
  case $4 in
    prepare)
      # Made by the jail's own uid: a folder swapped for a symlink leads it nowhere it may write.
      setpriv --reuid="$juid" --regid="$jgid" --clear-groups -- mkdir -p -- "$inside" || refuse 85 "the snapshot folder could not be made in the jail of $vmid"
      printf 'prepared=%s\n' "$name"
      return 0
      ;;
    export) ;;
    *) refuse 64 "prepare or export, not: $4" ;;
  esac
  export_dir=$jail/export/$name
  mkdir -p "$export_dir"
  for f in state mem; do
    s=$inside/$f
    e=$export_dir/$f
    rm -f -- "$e"
    # The VM runs, and its uid owns the chroot's top folder: it could swap a folder on the way to
    # $s for a symlink. So the file is first linked into root's own folder and looked at there
    # (a swapped path can only bring a file of some other owner, which is refused), changed only
    # there, and taken out of the jail by the jail's own uid.
    ln -P -- "$s" "$e" 2>/dev/null || refuse 85 "Firecracker wrote no snapshot $f in the jail of $vmid"
    if [ -L "$e" ] || [ ! -f "$e" ] || [ "$(stat -c %u -- "$e")" != "$juid" ]; then
      rm -f -- "$e"
      refuse 85 "the snapshot $f in the jail of $vmid is not a file Firecracker wrote"
    fi
    chown "$uid:$gid" -- "$e"
    chmod 0600 -- "$e"
    printf 'export=%s\n' "$e"
  done
  # Gone from the jail: the snapshot is the SSH user's now.
  setpriv --reuid="$juid" --regid="$jgid" --clear-groups -- rm -rf -- "$inside"
}

jail_list() {
  [ "$#" -eq 1 ] || refuse 64 'usage: jail-list UID'
  check_uid "$1"
  base=$JAIL_BASE/u$uid
  for j in "$base"/*/*; do
    [ -d "$j/root" ] || continue
    alive=no
    for p in /proc/[0-9]*; do
      # shellcheck disable=SC3013 # -ef: not POSIX, but dash, bash and busybox ash all have it
      [ "$p/root" -ef "$j/root" ] && alive=yes && break
    done
    printf 'vm=%s alive=%s\n' "${j##*/}" "$alive"
  done
}

[ "$#" -ge 1 ] || refuse 64 'usage: firedeck-helper net-up|net-down|net-list|net-exec|version …'
subcommand=$1
shift
check_caller
case $subcommand in
  net-exec) net_exec "$@" ;;
  net-up | net-down | net-list)
    for arg in "$@"; do check_chars "$arg"; done
    case $subcommand in
      net-up) net_up "$@" ;;
      net-down) net_down "$@" ;;
      net-list) net_list "$@" ;;
    esac
    ;;
  version)
    [ "$#" -eq 0 ] || refuse 64 'usage: version'
    printf 'version=%s\n' "$VERSION"
    ;;
  jail-start | jail-stop | jail-snapshot | jail-list)
    for arg in "$@"; do check_jail_chars "$arg"; done
    case $subcommand in
      jail-start) jail_start "$@" ;;
      jail-stop) jail_stop "$@" ;;
      jail-snapshot) jail_snapshot "$@" ;;
      jail-list) jail_list "$@" ;;
    esac
    ;;
  *) refuse 64 'unknown subcommand' ;;
esac
