# kvm-grant.sh — adds the SSH user to the group of /dev/kvm (kvm on most distributions) with
# passwordless sudo; membership counts from the next login.
# exits: 2 /dev/kvm is missing, 3 sudo asks for a password or is missing
group=$(stat -c %G /dev/kvm 2>/dev/null) || exit 2
sudo -n usermod -aG "$group" "$(id -un)" || exit 3
