import packageInstallSource from '../host-scripts/package-install.sh';
import { hostScript } from '../ssh/host-script.js';

/** Installs a package with the host's package manager through passwordless sudo (socat, fakeroot). */
export const packageInstall = hostScript({
  name: 'package-install',
  source: packageInstallSource,
  what: 'Installing a package',
  failures: {
    4: { code: 'HOST_COMMAND_FAILED', message: 'The host has no package manager Firedeck knows (apt-get, dnf, yum, apk, pacman, zypper).', remedy: 'Install the package by hand, then run the setup again.' },
    5: { code: 'SUDO_REQUIRED', message: 'Installing a package needs sudo, and sudo asks for a password here (or is not installed).', remedy: 'Install the package by hand, then run the setup again.' },
  },
  remedy: 'Fix the cause shown, then run the setup again; finished steps are skipped.',
});
