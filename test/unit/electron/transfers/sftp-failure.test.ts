import { describe, expect, it } from 'vitest';
import { describeSftpFailure } from '../../../../electron/transfers/sftp-failure';

describe('why SFTP could not start', () => {
  it('names login-shell output read as a packet length, quoting what it began with', () => {
    // What ssh2 says when ~/.bashrc prints "Welcome!" into Debian's sftp-server stream.
    const said = describeSftpFailure(new Error('Packet length 1466264675 exceeds max length of 262144'));
    expect(said).toContain('login shell printed text into the SFTP stream (it began “Welc…”)');
    expect(said).toContain('~/.bashrc');
  });

  it('names a missing subsystem, and passes anything else on', () => {
    expect(describeSftpFailure(new Error('Unable to start subsystem: sftp'))).toContain('offers no SFTP subsystem');
    expect(describeSftpFailure(new Error('Channel open failure'))).toBe('SFTP could not start: Channel open failure.');
  });
});
