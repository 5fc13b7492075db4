import { describe, expect, it } from 'vitest';
import { parseListeningPorts } from '../../../../electron/guest/guest-run';

describe('parseListeningPorts', () => {
  it('reads ss -ltnH lines: IPv4, IPv6, scoped and wildcard addresses, without duplicates', () => {
    const text = [
      'LISTEN 0      128          0.0.0.0:22        0.0.0.0:*',
      'LISTEN 0      511        127.0.0.1:8000      0.0.0.0:*',
      'LISTEN 0      128             [::]:22           [::]:*',
      'LISTEN 0      4096   [fe80::1%eth0]:9090        [::]:*',
      'LISTEN 0      511        127.0.0.1:8000      0.0.0.0:*',
      'State  Recv-Q Send-Q Local Address:Port Peer Address:Port',
      '',
    ].join('\n');
    expect(parseListeningPorts(text)).toEqual([
      { port: 22, address: '::' },
      { port: 22, address: '0.0.0.0' },
      { port: 8000, address: '127.0.0.1' },
      { port: 9090, address: 'fe80::1' },
    ]);
  });

  it('ignores what is not a listening socket', () => {
    expect(parseListeningPorts('ESTAB 0 0 10.0.0.2:22 10.0.0.1:5555\nnoise')).toEqual([]);
  });
});
