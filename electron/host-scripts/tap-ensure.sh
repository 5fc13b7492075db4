# tap-ensure.sh TAP — makes sure the tap device TAP exists and is up, owned by the SSH user.
# Creating one needs passwordless sudo; an existing device needs nothing.
# Exits: 10 TAP is missing and sudo cannot run without a password.
set -u
tap=$1
ip link show "$tap" >/dev/null 2>&1 && exit 0
sudo -n true 2>/dev/null || exit 10
sudo -n ip tuntap add dev "$tap" mode tap user "$(id -un)" && sudo -n ip link set "$tap" up
