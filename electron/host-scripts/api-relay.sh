# api-relay.sh TOOL SOCKET MARKER — relays this SSH channel's stdin and stdout to the Firecracker
# API socket SOCKET with TOOL (see api-relay-detect.sh): the ssh-exec transport, for hosts whose
# sshd forbids stream-local forwarding. No port is opened anywhere, and the relay ends with the
# channel (EOF on its stdin). MARKER is printed once the socket has accepted the connection, so
# that what a login script printed before it is never read as HTTP.
# Exits: 3 there is no socket at SOCKET, 4 the socket refuses connections, 5 TOOL is missing.
tool=$1 socket=$2 marker=$3
[ -S "$socket" ] || exit 3
command -v "$tool" >/dev/null 2>&1 || exit 5
# Relative to its folder: socat reads `:` and `,` in an address as syntax, and a Unix socket
# path is limited to 107 bytes.
cd -- "${socket%/*}" || exit 3
name=${socket##*/}
case $tool in
  socat)
    socat -u OPEN:/dev/null "UNIX-CONNECT:$name" 2>/dev/null || exit 4
    printf '%s\n' "$marker"
    exec socat STDIO "UNIX-CONNECT:$name"
    ;;
  python3)
    exec python3 -c '
import os, select, socket, sys
s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
try:
    s.connect(sys.argv[1])
except OSError as error:
    sys.stderr.write("%s\n" % error.strerror)
    sys.exit(4)
os.write(1, (sys.argv[2] + "\n").encode())
sources = [0, s.fileno()]
while True:
    ready = select.select(sources, [], [])[0]
    if 0 in ready:
        data = os.read(0, 65536)
        if data:
            s.sendall(data)
        else:
            s.shutdown(socket.SHUT_WR)
            sources.remove(0)
    if s.fileno() in ready:
        data = s.recv(65536)
        if not data:
            break
        while data:
            data = data[os.write(1, data):]
' "$name" "$marker"
    ;;
  perl)
    exec perl -e '
use strict; use IO::Socket::UNIX; use IO::Select;
my ($path, $marker) = @ARGV;
my $s = IO::Socket::UNIX->new(Type => SOCK_STREAM(), Peer => $path) or do { print STDERR "$!\n"; exit 4 };
syswrite(STDOUT, "$marker\n");
my $select = IO::Select->new(\*STDIN, $s);
sub put { my ($fh, $data) = @_; while (length $data) { my $n = syswrite($fh, $data); exit 0 unless defined $n; substr($data, 0, $n) = "" } }
while (1) {
  for my $fh ($select->can_read) {
    my $n = sysread($fh, my $data, 65536);
    if ($fh == $s) { exit 0 unless $n; put(\*STDOUT, $data) }
    elsif ($n) { put($s, $data) }
    else { shutdown($s, 1); $select->remove(\*STDIN) }
  }
}
' "$name" "$marker"
    ;;
  *) exit 5 ;;
esac
