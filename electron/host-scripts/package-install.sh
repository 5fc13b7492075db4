# package-install.sh PACKAGE — installs PACKAGE with the host's package manager, through
# passwordless sudo.
# exits: 4 no supported package manager, 5 sudo asks for a password or is missing
pkg=$1
sudo -n true 2>/dev/null || exit 5
if command -v apt-get >/dev/null 2>&1; then
  sudo -n env DEBIAN_FRONTEND=noninteractive apt-get install -y "$pkg"
elif command -v dnf >/dev/null 2>&1; then
  sudo -n dnf install -y "$pkg"
elif command -v yum >/dev/null 2>&1; then
  sudo -n yum install -y "$pkg"
elif command -v apk >/dev/null 2>&1; then
  sudo -n apk add "$pkg"
elif command -v pacman >/dev/null 2>&1; then
  sudo -n pacman -S --noconfirm "$pkg"
elif command -v zypper >/dev/null 2>&1; then
  sudo -n zypper --non-interactive install "$pkg"
else
  exit 4
fi
