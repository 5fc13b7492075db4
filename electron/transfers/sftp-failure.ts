/**
 * Why an SFTP session could not start, in words a user can act on. The usual cause on Debian:
 * sshd starts its default sftp-server through the user's login shell, so whatever ~/.bashrc
 * prints lands in the SFTP stream, and the client reads the first four bytes of that text as a
 * packet length ("Welc" = 1466264675), far beyond any real packet.
 */
export function describeSftpFailure(error: Error): string {
  const length = /packet length (\d+) exceeds/i.exec(error.message);
  if (length) {
    const value = Number(length[1]);
    const bytes = Buffer.alloc(4);
    if (Number.isSafeInteger(value) && value <= 0xffffffff) bytes.writeUInt32BE(value);
    const text = bytes.toString('latin1');
    const printed = /^[\x20-\x7e\t\r\n]{4}$/.test(text) ? ` (it began “${text.replace(/[\r\n\t]/g, ' ')}…”)` : '';
    return `SFTP could not start: the host’s login shell printed text into the SFTP stream${printed}. A startup file such as ~/.bashrc prints it for every session, and the host’s sftp-server runs through that shell.`;
  }
  if (/subsystem/i.test(error.message)) return 'SFTP could not start: the host’s sshd offers no SFTP subsystem.';
  return `SFTP could not start: ${error.message}.`;
}
