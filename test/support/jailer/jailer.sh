#!/bin/sh
# TEST DOUBLE: a stand-in for Firecracker's `jailer` (v1.12.0) for Firedeck's tests, where the
# real binary cannot be had. It is not the jailer and must never be shipped to a real host.
#
# It takes the real jailer's arguments, refuses what the real one refuses with the real one's
# texts (argument errors: a message and `Error: ...` on stderr, exit 1; every later error: a Rust
# panic text and SIGABRT, as the release build's panic=abort gives), and then does, with real
# syscalls through util-linux and coreutils, what firecracker/docs/jailer.md describes:
#   - chroot <base>/<exec file name>/<id>/root; the exec file is copied into it (a copy, as the
#     real jailer makes on purpose, never a hard link); /, /dev, /dev/net and /run inside it are
#     0700 and owned by --uid/--gid; dev/net/tun, dev/kvm, dev/urandom (a warning on stdout when
#     it cannot be made) and dev/userfaultfd (when /proc/misc lists it) are made with mknod,
#     0600, owned by --uid/--gid; a second start in a jail that still holds them fails as the
#     real one does (mknod: File exists);
#   - --netns: joined (nsenter --net); --resource-limit fsize= / no-file= set with prlimit
#     (no-file defaults to 2048, hard and soft);
#   - --cgroup with --cgroup-version 2: <cgroup2 mount>/<parent>/<id> is made, each controller
#     is enabled in cgroup.subtree_control from the mount's root down to <parent>, the values are
#     written and the jailer's pid goes into cgroup.procs; with version 1 (the real default):
#     <controller mount>/<parent>/<id>, values inherited from the parent then written, pid into
#     tasks. --parent-cgroup defaults to the exec file's name. Where the machine lacks what is
#     asked (no cgroup2 mount, a controller not in the v2 root's cgroup.controllers, a
#     subtree_control write the kernel refuses), it REFUSES like the real jailer, with its text;
#     it never skips a limit silently. With version 2 and no --cgroup it moves itself into an
#     existing <parent>, as documented;
#   - a private mount namespace (propagation slave), the jail entered, privileges dropped to
#     --uid/--gid with no supplementary groups, an empty environment, and an exec of
#     /<exec file name> --id <id> --start-time-us N --start-time-cpu-us N --parent-cpu-time-us N
#     followed by the arguments given after `--` (the API socket path stays as given, so
#     --api-sock /run/firecracker.socket is <chroot>/run/firecracker.socket from outside);
#   - <chroot>/<exec file name>.pid holds the pid of the process that runs the exec file;
#   - --daemonize: the caller gets exit 0 at once; the process forks, calls setsid, forks
#     again (so it is no session leader) and has /dev/null on stdin, stdout and stderr;
#   - --new-pid-ns: the exec file runs as pid 1 of a new pid namespace; the jailer exits 0 once
#     the pid file (the host pid) is written.
#
# APPROXIMATIONS (each keeps what the tests check: uid/gid, /proc/PID/root, cgroups, netns, what
# the jailed process can open):
#   - Interpreter. The emulator is a Node script and a chroot has no node. When the exec file
#     starts with `#!`, the stand-in makes its interpreter visible inside the jail, and only
#     that: the interpreter (e.g. /usr/bin/env), the program `env` runs (node, presented at
#     /usr/bin/node, where env's default search path finds it once the environment is cleared)
#     and the libraries ldd lists for them, each file bind-mounted read-only onto a file of a
#     read-only tmpfs at its top directory (usr, lib, lib64). Those mounts exist only in the
#     jail's private mount namespace; outside, the chroot shows only the empty directories they
#     sit on. A static exec file (the real firecracker) gets none of this.
#   - Jail entry. The real jailer bind-mounts the chroot on itself, pivot_root()s into it and
#     detaches the old root. A shell cannot exec anything once the old root is detached, so this
#     stand-in moves the chroot's bind mount onto / of its private namespace (MS_MOVE) and
#     chroot(1)s into it, as runc's no-pivot mode does: the old root stays mounted beneath the
#     jail in that namespace, out of reach of the unprivileged, chrooted process. Seen from
#     outside the result is the same: readlink /proc/PID/root says "/", and stat -L of it is the
#     chroot directory.
#   - Only file descriptors 3 to 9 are closed (sudo, through which it runs, closes the rest).
#   - --start-time-us and the CPU times are read from /proc/uptime and /proc/self/stat
#     (clock-tick resolution); Firecracker treats them as opaque numbers.
#   - Instance ids must be ASCII letters, digits and '-' (the real one also takes other Unicode
#     letters and digits).
#   - An exec that fails inside the jail is reported by chroot(1) (exit 127), not with the
#     jailer's "Failed to exec into Firecracker" text. aarch64's cache-info copy is not done.
#   - Error texts for system calls end in "(os error N)" from a table of common errno values.
#
# Production code never runs this file; tests install it as a release's `jailer-vX.Y.Z-ARCH`.

JAILER_VERSION=1.12.0

NL='
'
TAB='	'

# ------------------------------------------------------------------------------------------------
# Errors, as the real jailer prints them
# ------------------------------------------------------------------------------------------------

# Rust's Debug form of a string, for the `Error: ...` line.
rust_debug() {
  printf '"%s"' "$(printf '%s' "$1" | sed 's/\\/\\\\/g; s/"/\\"/g')"
}

# An argument error: main() prints it, then returns Err, which Rust prints as `Error: {:?}`.
arg_error() {
  case $1 in
    MissingArgument) text="Argument '$2' required, but not found." ;;
    MissingValue) text="The argument '$2' requires a value, but none was supplied." ;;
    UnexpectedArgument) text="Found argument '$2' which wasn't expected, or isn't valid in this context." ;;
    DuplicateArgument) text="The argument '$2' was provided more than once." ;;
  esac
  printf 'Failed to parse arguments: %s\n' "$text" >&2
  printf 'Error: ArgumentParsing(%s(%s))\n' "$1" "$(rust_debug "$2")" >&2
  exit 1
}

# Every later error: `panic!("Jailer error: {}", err)` in main_exec, and panic = "abort".
jailer_error() {
  printf "thread 'main' panicked at src/jailer/src/main.rs:355:27:\nJailer error: %s\n" "$1" >&2
  # shellcheck disable=SC2016 # the backquotes are Rust's text
  printf '%s\n' 'note: run with `RUST_BACKTRACE=1` environment variable to display a backtrace' >&2
  # No core file for a stand-in's abort (ulimit -c is in dash and in busybox ash).
  # shellcheck disable=SC3045
  ulimit -c 0
  kill -s ABRT "$$"
  exit 134
}

# Rust's io::Error Display for the strerror text at the end of a tool's message.
os_error() {
  reason=${1##*: }
  reason=${reason%"$NL"}
  case $reason in
    'Operation not permitted') n=1 ;;
    'No such file or directory') n=2 ;;
    'No such process') n=3 ;;
    'Input/output error') n=5 ;;
    'Argument list too long') n=7 ;;
    'Bad file descriptor') n=9 ;;
    'Resource temporarily unavailable') n=11 ;;
    'Cannot allocate memory') n=12 ;;
    'Permission denied') n=13 ;;
    'Device or resource busy') n=16 ;;
    'File exists') n=17 ;;
    'No such device') n=19 ;;
    'Not a directory') n=20 ;;
    'Is a directory') n=21 ;;
    'Invalid argument') n=22 ;;
    'Too many open files') n=24 ;;
    'Text file busy') n=26 ;;
    'File too large') n=27 ;;
    'No space left on device') n=28 ;;
    'Read-only file system') n=30 ;;
    'Numerical result out of range') n=34 ;;
    'File name too long') n=36 ;;
    'Directory not empty') n=39 ;;
    'Too many levels of symbolic links') n=40 ;;
    'Operation not supported') n=95 ;;
    *) n= ;;
  esac
  if [ -n "$n" ]; then printf '%s (os error %s)' "$reason" "$n"; else printf '%s' "$reason"; fi
}

# Runs a command; on failure, panics with PREFIX: <its strerror>.
must() {
  prefix=$1
  shift
  if ! out=$("$@" 2>&1); then jailer_error "$prefix: $(os_error "$out")"; fi
}

# fs::write(path, "value\n"), reporting as writeln_special does.
write_ln() {
  if ! out=$(printf '%s\n' "$2" | tee -- "$1" 2>&1 >/dev/null); then
    jailer_error "Failed to write to $1: $(os_error "$out")"
  fi
}

# ------------------------------------------------------------------------------------------------
# Parsing and validation (Env::new)
# ------------------------------------------------------------------------------------------------

# str::parse::<uN>: an optional '+', then digits; prints the value or fails with Rust's text.
parse_uint() { # VALUE MAXIMUM
  v=${1#+}
  case $v in
    '') printf 'cannot parse integer from empty string'; return 1 ;;
    *[!0-9]*) printf 'invalid digit found in string'; return 1 ;;
  esac
  while [ "${#v}" -gt 1 ] && [ "${v#0}" != "$v" ]; do v=${v#0}; done
  if [ "${#v}" -gt "${#2}" ] || { [ "${#v}" -eq "${#2}" ] && [ "$(printf '%s\n%s\n' "$v" "$2" | sort | tail -n 1)" != "$2" ]; }; then
    printf 'number too large to fit in target type'
    return 1
  fi
  printf '%s' "$v"
}

# std::fs::canonicalize, or the jailer's Canonicalize error.
canonicalize() {
  if [ -n "$1" ] && real=$(readlink -e -- "$1"); then
    printf '%s' "$real"
    return 0
  fi
  reason='No such file or directory (os error 2)'
  prefix=$1
  while [ "$prefix" != "${prefix%/*}" ]; do
    prefix=${prefix%/*}
    if [ -n "$prefix" ] && [ -e "$prefix" ] && [ ! -d "$prefix" ]; then reason='Not a directory (os error 20)'; fi
  done
  jailer_error "Failed to canonicalize path $1: $reason"
}

validate_id() {
  if [ "${#1}" -lt 1 ] || [ "${#1}" -gt 64 ]; then
    jailer_error "Invalid instance ID: Invalid len (${#1});  the length must be between 1 and 64"
  fi
  rest=$1
  pos=0
  while [ -n "$rest" ]; do
    c=${rest%"${rest#?}"}
    case $c in
      [A-Za-z0-9-]) ;;
      *) jailer_error "Invalid instance ID: Invalid char ($c) at position $pos" ;;
    esac
    rest=${rest#?}
    pos=$((pos + 1))
  done
}

# Path::components() holding CurDir, ParentDir or RootDir (a '.' counts only at the start).
path_escapes() {
  case $1 in /* | . | ./*) return 0 ;; esac
  case /$1/ in */../*) return 0 ;; esac
  return 1
}

# The controller of a cgroup file: what comes before the first '.'; none without a '.'.
controller_of() {
  case $1 in *.*) printf '%s' "${1%%.*}" ;; *) jailer_error "Cgroup invalid file: $1" ;; esac
}

# The cgroup2 mount point from /proc/mounts (the first one), or fails.
cgroup2_mount() {
  while read -r _ dir fstype _; do
    [ "$fstype" = cgroup2 ] && { printf '%s' "$dir"; return 0; }
  done </proc/mounts
  return 1
}

# The cgroup v1 mount point whose options name this controller, or fails.
cgroup1_mount() {
  while read -r _ dir fstype opts _; do
    [ "$fstype" = cgroup ] || continue
    case ,$opts, in *,"$1",*) printf '%s' "$dir"; return 0 ;; esac
  done </proc/mounts
  return 1
}

cgroup1_mounted() {
  while read -r _ _ fstype _; do [ "$fstype" = cgroup ] && return 0; done </proc/mounts
  return 1
}

# ------------------------------------------------------------------------------------------------
# Cgroup setup (CgroupConfiguration::setup)
# ------------------------------------------------------------------------------------------------

# v1's inherit_from_parent: copies <dir of PATH>/<FILE> into PATH/FILE, looking further up while
# the parent's file is empty (at most DEPTH levels). Prints the error text and fails on error
# (the deeper tries' errors are ignored, as the real one ignores them).
inherit_from_parent() { # PATH FILE DEPTH
  parent_file=${1%/*}/$2
  if ! line=$(cat -- "$parent_file" 2>&1); then
    printf 'Failed to read file %s into a string: %s' "$parent_file" "$(os_error "$line")"
    return 1
  fi
  if [ -z "$line" ]; then
    if [ "$3" -gt 0 ]; then
      (inherit_from_parent "${1%/*}" "$2" $(($3 - 1))) >/dev/null
      line=$(cat -- "$parent_file" 2>/dev/null)
    fi
    if [ -z "$line" ]; then
      printf 'Failed to inherit cgroups configurations from file %s in path %s' "$2" "$1"
      return 1
    fi
  fi
  if ! out=$(printf '%s\n' "$line" | tee -- "$1/$2" 2>&1 >/dev/null); then
    printf 'Failed to write to %s: %s' "$1/$2" "$(os_error "$out")"
    return 1
  fi
}

# v2's write_all_subtree_control: +CONTROLLER in DIR's cgroup.subtree_control and in every
# ancestor's that has one, top first.
enable_controller() { # DIR CONTROLLER
  [ -e "$1/cgroup.subtree_control" ] || return 0
  if [ "$1" != / ] && [ -n "${1%/*}" ]; then enable_controller "${1%/*}" "$2"; fi
  write_ln "$1/cgroup.subtree_control" "+$2"
}

setup_cgroups() {
  [ -n "$cgroup_props" ] || return 0
  if [ "$cgroup_version" = 2 ]; then
    location=$cgroup_base/$parent_cgroup/$id
    must "Failed to create directory $location" mkdir -p -- "$location"
    enabled=' '
    while IFS=$TAB read -r ctl _ file value; do
      case $enabled in *" $ctl "*) ;; *) enable_controller "$cgroup_base/$parent_cgroup" "$ctl"; enabled="$enabled$ctl " ;; esac
      write_ln "$location/$file" "$value"
    done <<EOF
$cgroup_props
EOF
    write_ln "$location/cgroup.procs" "$$"
    return 0
  fi
  depth=0
  rest=$parent_cgroup
  while [ -n "$rest" ]; do
    part=${rest%%/*}
    if [ "$part" = "$rest" ]; then rest=; else rest=${rest#*/}; fi
    [ -n "$part" ] && [ "$part" != . ] && depth=$((depth + 1))
  done
  done_ctls=' '
  while IFS=$TAB read -r ctl mount _ _; do
    case $done_ctls in *" $ctl "*) continue ;; esac
    done_ctls="$done_ctls$ctl "
    location=$mount/$parent_cgroup/$id
    must "Failed to create directory $location" mkdir -p -- "$location"
    while IFS=$TAB read -r ctl2 _ file value; do
      [ "$ctl2" = "$ctl" ] || continue
      out=$(inherit_from_parent "$location" "$file" "$depth") || jailer_error "$out"
      write_ln "$location/$file" "$value"
    done <<EOF
$cgroup_props
EOF
  done <<EOF
$cgroup_props
EOF
  for ctl in $done_ctls; do
    mount=$(cgroup1_mount "$ctl")
    write_ln "$mount/$parent_cgroup/$id/tasks" "$$"
  done
}

# ------------------------------------------------------------------------------------------------
# The interpreter approximation
# ------------------------------------------------------------------------------------------------

# Lines "<path in the jail><TAB><file on the host>" for the exec file's interpreter, the program
# an `env` interpreter runs, and their libraries. Empty for a file without `#!`.
interpreter_binds() { # EXEC_FILE HOST_PATH
  first=
  IFS= read -r first <"$1" 2>/dev/null
  case $first in '#!'*) ;; *) return 0 ;; esac
  first=${first#??}
  first=${first#"${first%%[! ]*}"}
  interp=${first%%[ "$TAB"]*}
  arg=${first#"$interp"}
  arg=${arg#"${arg%%[! "$TAB"]*}"}
  arg=${arg%"${arg##*[! "$TAB"]}"}
  binaries="$interp$TAB$interp"
  if [ "${interp##*/}" = env ] && [ -n "$arg" ]; then
    case $arg in
      /*) binaries="$binaries$NL$arg$TAB$arg" ;;
      *)
        program=$(PATH=$2 command -v -- "$arg") || jailer_error "Failed to exec into Firecracker: $arg: No such file or directory (os error 2)"
        binaries="$binaries$NL/usr/bin/$arg$TAB$program"
        ;;
    esac
  fi
  while IFS=$TAB read -r at from; do
    printf '%s\t%s\n' "$at" "$(readlink -f -- "$from")"
    PATH=$2 ldd "$from" 2>/dev/null | while read -r a b c _; do
      if [ "$b" = '=>' ]; then lib=$c; else lib=$a; fi
      case $lib in /*) printf '%s\t%s\n' "$lib" "$(readlink -f -- "$lib")" ;; esac
    done
  done <<EOF
$binaries
EOF
}

# In the jail's mount namespace, cwd = the chroot: a read-only tmpfs per top directory, each
# file bind-mounted read-only onto an empty file in it.
mount_interpreter() {
  [ -n "$binds" ] || return 0
  tops=' '
  while IFS=$TAB read -r at from; do
    [ -n "$at" ] || continue
    top=${at#/}
    top=${top%%/*}
    case $tops in
      *" $top "*) ;;
      *)
        if [ -L "./$top" ] || { [ -e "./$top" ] && [ ! -d "./$top" ]; }; then
          jailer_error "Failed to bind mount the jail root directory: ./$top: Not a directory (os error 20)"
        fi
        must "Failed to create directory /$top" mkdir -p -- "./$top"
        must "Failed to bind mount the jail root directory" mount -t tmpfs -o mode=0755,size=1m fdjail-interpreter "./$top"
        tops="$tops$top "
        ;;
    esac
    [ -e ".$at" ] && continue
    must "Failed to create directory ${at%/*}" mkdir -p -- ".${at%/*}"
    : >".$at"
    must "Failed to bind mount the jail root directory" mount --bind -o ro -- "$from" ".$at"
  done <<EOF
$binds
EOF
  for top in $tops; do
    must "Failed to bind mount the jail root directory" mount -o remount,ro -- "./$top"
  done
}

# ------------------------------------------------------------------------------------------------
# Stages
# ------------------------------------------------------------------------------------------------

# CLOCK_MONOTONIC in microseconds, near enough: /proc/uptime has 10 ms steps.
microseconds_now() {
  read -r up _ </proc/uptime
  frac=${up#*.}
  printf '%s' "$((${up%.*} * 1000000 + ${frac#0} * 10000))"
}

# This shell's pid, session and CPU time in microseconds (clock ticks of 10 ms), read by the
# shell itself (a command substitution would read its own subshell's).
read_self() {
  read -r stat </proc/self/stat
  self_pid=${stat%% *}
  set -f
  # shellcheck disable=SC2086 # split on purpose: the fields after the command name
  set -- ${stat##*) }
  set +f
  self_session=$4
  shift 11
  self_cpu_us=$((($1 + $2) * 10000))
}

# The state every stage gets, in this order, before Firecracker's extra arguments.
# SELF CHROOT NAME ID UID GID DAEMONIZE NEW_PID_NS LEADER START_US BINDS
load_state() {
  self=$1 chroot_dir=$2 exec_name=$3 id=$4 uid=$5 gid=$6 daemonize=$7 new_pid_ns=$8 leader=$9
  shift 9
  start_us=$1 binds=$2
}

# Stage "jail": in the new mount namespace (and the netns), as root.
stage_jail() {
  must "Failed to bind mount the jail root directory" mount --rbind -- "$chroot_dir" "$chroot_dir"
  cd -- "$chroot_dir" || jailer_error "Failed to change current directory: No such file or directory (os error 2)"
  mount_interpreter
  must "Failed to pivot root" mount --move . /
  for folder in / /dev /dev/net /run; do
    must "Failed to create directory $folder" mkdir -p -- ".$folder"
    must "Failed to change permissions on $folder" chmod 0700 -- ".$folder"
    must "Failed to change owner for $folder" chown "$uid:$gid" -- ".$folder"
  done
  make_dev /dev/net/tun 10 200
  make_dev /dev/kvm 10 232
  if ! out=$(make_dev_quiet /dev/urandom 1 9); then
    printf 'Warning! Could not create /dev/urandom device inside jailer: %s.\n' "$out"
    printf 'MMDS version 2 will not be available to use.\n'
  fi
  while read -r minor name; do
    if [ "$name" = userfaultfd ]; then make_dev /dev/userfaultfd 10 "$minor"; fi
  done </proc/misc
}

make_dev_quiet() { # PATH MAJOR MINOR: prints the jailer's error text on failure
  if ! out=$(mknod -m 0600 -- ".$1" c "$2" "$3" 2>&1); then
    printf 'Failed to create %s via mknod inside the jail: %s' "$1" "$(os_error "$out")"
    return 1
  fi
  if ! out=$(chown "$uid:$gid" -- ".$1" 2>&1); then
    printf 'Failed to change owner for %s: %s' "$1" "$(os_error "$out")"
    return 1
  fi
}

make_dev() {
  out=$(make_dev_quiet "$@") || jailer_error "$out"
}

exec_firecracker() { # extra args...
  read_self
  if ! (set -C; printf '%s' "$self_pid" >"./$exec_name.pid") 2>/dev/null; then
    jailer_error "Failed to open file /$exec_name.pid: File exists (os error 17)"
  fi
  chroot_tool=$(command -v chroot)
  exec env -i "$chroot_tool" --userspec="$uid:$gid" --groups= . "/$exec_name" \
    --id "$id" --start-time-us "$start_us" --start-time-cpu-us "$self_cpu_us" \
    --parent-cpu-time-us "$self_cpu_us" "$@"
}

# After the jail is built: daemonize, then a new pid namespace or the exec. "$@" = extra args.
after_jail() {
  if [ "$daemonize" = 1 ] && [ "$stage_name" = jail ]; then
    # First fork: the caller's process exits 0 here; the child calls setsid.
    exec setsid -f env -i FDJAIL_STAGE=detach /bin/sh "$self" "$self" "$chroot_dir" "$exec_name" "$id" "$uid" "$gid" "$daemonize" "$new_pid_ns" "$leader" "$start_us" "$binds" "$@"
  fi
  if [ "$stage_name" = detach ]; then
    # Second fork: the daemon is no session leader; stdio goes to /dev/null.
    env -i FDJAIL_STAGE=daemon /bin/sh "$self" "$self" "$chroot_dir" "$exec_name" "$id" "$uid" "$gid" "$daemonize" "$new_pid_ns" "$leader" "$start_us" "$binds" "$@" </dev/null >/dev/null 2>&1 &
    exit 0
  fi
  if [ "$new_pid_ns" = 1 ] && [ "$stage_name" != init ]; then
    [ -e "./$exec_name.pid" ] && jailer_error "Failed to open file /$exec_name.pid: File exists (os error 17)"
    set_session=
    [ "$leader" = 1 ] && [ "$daemonize" != 1 ] && set_session=setsid
    # An asynchronous command gets /dev/null as stdin unless told otherwise: keep the caller's.
    exec 3<&0
    # shellcheck disable=SC2086 # set_session is one word or none
    unshare --pid --fork -- $set_session env -i FDJAIL_STAGE=init /bin/sh "$self" "$self" "$chroot_dir" "$exec_name" "$id" "$uid" "$gid" "$daemonize" "$new_pid_ns" "$leader" "$start_us" "$binds" "$@" 0<&3 3<&- &
    exec 3<&-
    forker=$!
    tries=0
    while [ ! -s "./$exec_name.pid" ] && kill -0 "$forker" 2>/dev/null && [ "$tries" -lt 1000 ]; do
      sleep 0.01
      tries=$((tries + 1))
    done
    [ -s "./$exec_name.pid" ] || jailer_error "Failed cloning into a new child process: No such process (os error 3)"
    # The parent that unshare(1) keeps is the jailer's own process in the real one: it goes.
    kill -s KILL "$forker" 2>/dev/null
    exit 0
  fi
  exec_firecracker "$@"
}

# ------------------------------------------------------------------------------------------------
# Main (the jailer's own process, env already cleared)
# ------------------------------------------------------------------------------------------------

print_help() {
  printf 'Jailer v%s\n\n' "$JAILER_VERSION"
  cat <<'EOF'
required arguments:
  --exec-file <exec-file>   File path to exec into.
  --gid <gid>               The group identifier the jailer switches to after exec.
  --id <id>                 Jail ID.
  --uid <uid>               The user identifier the jailer switches to after exec.

optional arguments:
  --cgroup <cgroup>                   Cgroup and value to be set by the jailer. It must follow this format: <cgroup_file>=<value> (e.g cpu.shares=10). This argument can be used multiple times to add multiple cgroups.
  --cgroup-version <cgroup-version>   Select the cgroup version used by the jailer. [default: "1"]
  --chroot-base-dir <chroot-base-dir> The base folder where chroot jails are located. [default: "/srv/jailer"]
  --daemonize                         Daemonize the jailer before exec, by invoking setsid(), and redirecting the standard I/O file descriptors to /dev/null.
  --help                              Show the help message.
  --netns <netns>                     Path to the network namespace this microVM should join.
  --new-pid-ns                        Exec into a new PID namespace.
  --parent-cgroup <parent-cgroup>     Parent cgroup in which the cgroup of this microvm will be placed.
  --resource-limit <resource-limit>   Resource limit values to be set by the jailer. It must follow this format: <resource>=<value> (e.g no-file=1024). This argument can be used multiple times to add multiple resource limits. Current available resource values are:
		fsize: The maximum size in bytes for files created by the process.
		no-file: Specifies a value one greater than the maximum file descriptor number that can be opened by this process.
  --version                           Print the binary version number.

Any arguments after the -- separator will be supplied to the jailed binary.

EOF
}

main() { # HOST_PATH args...
  host_path=$1
  shift
  start_us=$(microseconds_now)

  for a in "$@"; do
    [ "$a" = -- ] && break
    case $a in --help | -h) print_help; exit 0 ;; esac
  done
  for a in "$@"; do
    [ "$a" = -- ] && break
    [ "$a" = --version ] && { printf 'Jailer v%s\n\n' "$JAILER_VERSION"; exit 0; }
  done

  seen=' '
  id='' exec_file='' uid_arg='' gid_arg='' chroot_base=/srv/jailer netns='' daemonize=0 new_pid_ns=0
  cgroups='' resource_limits='' cgroup_version=1 parent_cgroup='' parent_given=0
  while [ $# -gt 0 ]; do
    a=$1
    shift
    [ "$a" = -- ] && break
    case $a in --*) name=${a#--} ;; *) arg_error UnexpectedArgument "$a" ;; esac
    case $name in
      id | exec-file | uid | gid | chroot-base-dir | netns | cgroup-version | parent-cgroup | cgroup | resource-limit) takes=1 ;;
      daemonize | new-pid-ns | version) takes=0 ;;
      *) arg_error UnexpectedArgument "$name" ;;
    esac
    case $name in
      cgroup | resource-limit) ;;
      *) case $seen in *" $name "*) arg_error DuplicateArgument "$name" ;; esac ;;
    esac
    seen="$seen$name "
    value=
    if [ "$takes" = 1 ]; then
      if [ $# -eq 0 ] || [ "$1" = -- ]; then arg_error MissingValue "$name"; fi
      case $1 in --*) arg_error MissingValue "$name" ;; esac
      value=$1
      shift
    fi
    case $name in
      id) id=$value ;;
      exec-file) exec_file=$value ;;
      uid) uid_arg=$value ;;
      gid) gid_arg=$value ;;
      chroot-base-dir) chroot_base=$value ;;
      netns) netns=$value ;;
      cgroup-version) cgroup_version=$value ;;
      parent-cgroup) parent_cgroup=$value parent_given=1 ;;
      cgroup) cgroups="$cgroups$value$NL" ;;
      resource-limit) resource_limits="$resource_limits$value$NL" ;;
      daemonize) daemonize=1 ;;
      new-pid-ns) new_pid_ns=1 ;;
    esac
  done
  # "$@" now holds Firecracker's extra arguments.
  for required in exec-file gid id uid; do
    case $seen in *" $required "*) ;; *) arg_error MissingArgument "$required" ;; esac
  done

  validate_id "$id"
  exec_path=$(canonicalize "$exec_file") || exit
  [ -f "$exec_path" ] || jailer_error "$exec_path is not a file"
  exec_name=${exec_path##*/}
  case $exec_name in
    *firecracker*) ;;
    *) jailer_error "Invalid filename. The filename of \`--exec-file\` option must contain \"firecracker\": $exec_name" ;;
  esac
  base=$(canonicalize "$chroot_base") || exit
  [ -d "$base" ] || jailer_error "$base is not a directory"
  chroot_dir=${base%/}/$exec_name/$id/root
  uid=$(parse_uint "$uid_arg" 4294967295) || jailer_error "Invalid uid: $uid_arg"
  gid=$(parse_uint "$gid_arg" 4294967295) || jailer_error "Invalid gid: $gid_arg"
  [ "$parent_given" = 1 ] || parent_cgroup=$exec_name
  path_escapes "$parent_cgroup" && jailer_error "Parent cgroup path is invalid. Path should not be absolute or contain '..' or '.'"
  version_arg=$cgroup_version
  cgroup_version=$(parse_uint "$version_arg" 255) || jailer_error "$version_arg is an invalid cgroup version specifier"

  if [ -z "$cgroups" ] && [ "$cgroup_version" = 2 ]; then
    cgroup_base=$(cgroup2_mount) || jailer_error 'Hierarchy not found: No hierarchy found for this cgroup version.'
    if [ -d "$cgroup_base/$parent_cgroup" ]; then
      if ! out=$(printf '%s' "$$" | tee -- "$cgroup_base/$parent_cgroup/cgroup.procs" 2>&1 >/dev/null); then
        jailer_error "Failed to write to cgroups file: $(os_error "$out")"
      fi
    fi
  fi
  cgroup_props=
  if [ -n "$cgroups" ]; then
    case $cgroup_version in
      2) cgroup_base=$(cgroup2_mount) || jailer_error 'Hierarchy not found: No hierarchy found for this cgroup version.' ;;
      1) cgroup1_mounted || jailer_error 'Hierarchy not found: No hierarchy found for this cgroup version.' ;;
      *) jailer_error 'Hierarchy not found: No hierarchy found for this cgroup version.' ;;
    esac
    available=
    [ "$cgroup_version" = 2 ] && available=" $(cat -- "$cgroup_base/cgroup.controllers" 2>/dev/null) "
    while IFS= read -r cg; do
      [ -n "$cg" ] || continue
      # split('=') must give exactly two parts, the second one not empty.
      case $cg in
        *=*=* | *=) jailer_error "Invalid format for cgroups: $cg" ;;
        *=*) ;;
        *) jailer_error "Invalid format for cgroups: $cg" ;;
      esac
      file=${cg%%=*}
      value=${cg#*=}
      path_escapes "$file" && jailer_error "Cgroup invalid file: $cg"
      ctl=$(controller_of "$file") || exit
      if [ "$cgroup_version" = 2 ]; then
        case $available in *" $ctl "*) ;; *) jailer_error "Controller $ctl is unavailable" ;; esac
        mount=$cgroup_base
      else
        mount=$(cgroup1_mount "$ctl") || jailer_error "Controller $ctl is unavailable"
      fi
      cgroup_props="$cgroup_props$ctl$TAB$mount$TAB$file$TAB$value$NL"
    done <<EOF
$cgroups
EOF
    cgroup_props=${cgroup_props%"$NL"}
  fi

  fsize='' no_file=2048
  while IFS= read -r limit; do
    [ -n "$limit" ] || continue
    case $limit in *=*) ;; *) jailer_error "Invalid format for resources limits: $limit" ;; esac
    resource=${limit%%=*}
    amount=${limit#*=}
    if ! parsed=$(parse_uint "$amount" 18446744073709551615); then
      jailer_error "Invalid limit value for resource: $amount: $parsed"
    fi
    case $resource in
      fsize) fsize=$parsed ;;
      no-file) no_file=$parsed ;;
      *) jailer_error "Invalid resource argument: $resource" ;;
    esac
  done <<EOF
$resource_limits
EOF

  # main_exec: the chroot directory; then Env::run.
  must "Failed to create directory $chroot_dir" mkdir -p -- "$chroot_dir"
  if ! out=$(cp -- "$exec_path" "$chroot_dir/$exec_name" 2>&1 && chmod -- "$(stat -c %a -- "$exec_path")" "$chroot_dir/$exec_name" 2>&1); then
    jailer_error "Failed to copy $exec_path to $chroot_dir/$exec_name: $(os_error "$out")"
  fi
  if [ -n "$netns" ]; then
    [ -e "$netns" ] || jailer_error "Failed to open file $netns: No such file or directory (os error 2)"
    # shellcheck disable=SC2188 # opening is the check
    if ! out=$( { <"$netns"; } 2>&1); then jailer_error "Failed to open file $netns: $(os_error "$out")"; fi
    nsenter --net="$netns" -- true 2>/dev/null || jailer_error 'Failed to join network namespace: netns: Invalid argument (os error 22)'
  fi
  [ -n "$fsize" ] && { prlimit --pid "$$" --fsize="$fsize:$fsize" 2>/dev/null || jailer_error 'Failed to set limit for resource: size of file'; }
  prlimit --pid "$$" --nofile="$no_file:$no_file" 2>/dev/null || jailer_error 'Failed to set limit for resource: number of file descriptors'
  setup_cgroups

  binds=$(interpreter_binds "$exec_path" "$host_path") || exit
  read_self
  leader=0
  [ "$self_session" = "$self_pid" ] && leader=1
  # Env::run joins the netns, then chroot() unshares the mount namespace.
  if [ -n "$netns" ]; then
    exec nsenter --net="$netns" -- unshare --mount --propagation slave -- env -i FDJAIL_STAGE=jail /bin/sh "$self" \
      "$self" "$chroot_dir" "$exec_name" "$id" "$uid" "$gid" "$daemonize" "$new_pid_ns" "$leader" "$start_us" "$binds" "$@"
  fi
  exec unshare --mount --propagation slave -- env -i FDJAIL_STAGE=jail /bin/sh "$self" \
    "$self" "$chroot_dir" "$exec_name" "$id" "$uid" "$gid" "$daemonize" "$new_pid_ns" "$leader" "$start_us" "$binds" "$@"
}

# ------------------------------------------------------------------------------------------------
# Dispatch: the caller's call re-runs this file as stage "main" in an empty environment; each
# later stage gets the jail's state as its first arguments (see load_state).
# ------------------------------------------------------------------------------------------------

stage_name=${FDJAIL_STAGE-}
unset FDJAIL_STAGE
caller_path=${PATH-}
PATH=/usr/sbin:/usr/bin:/sbin:/bin
export PATH
case $stage_name in
  '')
    exec 3>&- 4>&- 5>&- 6>&- 7>&- 8>&- 9>&-
    self=$(readlink -f -- "$0")
    exec env -i FDJAIL_STAGE=main /bin/sh "$self" "$self" "$caller_path" "$@"
    ;;
  main)
    self=$1
    shift
    main "$@"
    ;;
  jail | detach | daemon | init)
    load_state "$@"
    shift 11
    case $stage_name in
      jail)
        stage_jail
        after_jail "$@"
        ;;
      init) exec_firecracker "$@" ;;
      *) after_jail "$@" ;;
    esac
    ;;
esac
