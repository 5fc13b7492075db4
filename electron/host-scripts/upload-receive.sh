# upload-receive.sh TEMP — writes what arrives on stdin to TEMP (an upload over an exec channel,
# for hosts whose SFTP cannot start). The caller checks the checksum and renames it.
set -eu
umask 077
cat > "$1"
