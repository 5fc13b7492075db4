import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync, symlinkSync } from 'node:fs';
import { createServer } from 'node:http';
import type { Server } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import detect from '../../../../electron/host-scripts/api-relay-detect.sh';
import relay from '../../../../electron/host-scripts/api-relay.sh';
import { spawnUnderDash, until } from '../../../support/dash-stream';
import { runUnderDash } from '../../../support/host-script-harness';

// An API socket in a folder whose name socat would read as address syntax if given whole.
let dir: string;
let socket: string;
let server: Server;
beforeAll(async () => {
  dir = join(mkdtempSync(join(tmpdir(), 'firedeck-relay-')), 'a:b,c');
  mkdirSync(dir);
  socket = join(dir, 'api.sock');
  server = createServer((req, res) => {
    res.writeHead(200, { 'Content-Type': 'application/json' });
    res.end(JSON.stringify({ method: req.method, url: req.url }));
  });
  await new Promise<void>((resolve) => server.listen(socket, resolve));
});
afterAll(() => {
  server.close();
  rmSync(join(dir, '..'), { recursive: true, force: true });
});

const has = (tool: string) => {
  try {
    execFileSync('sh', ['-c', `command -v ${tool}`], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
};
const alive = (pid: number) => {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
};
/** A PATH holding only dash and the given tools, to play a host that has just those. */
function pathWith(...tools: string[]): string {
  const bin = join(dir, '..', `bin-${tools.join('-') || 'none'}`);
  if (existsSync(bin)) return bin;
  mkdirSync(bin, { recursive: true });
  for (const tool of ['dash', ...tools]) symlinkSync(execFileSync('sh', ['-c', `command -v ${tool}`], { encoding: 'utf8' }).trim(), join(bin, tool));
  return bin;
}

describe('api-relay-detect.sh under dash', () => {
  it('names socat first, then python3, then perl', () => {
    expect(runUnderDash(detect, [], { standIns: { socat: 'exit 0' } }).stdout).toBe('relay=socat\n');
    expect(runUnderDash(detect, [], { env: { PATH: pathWith('perl') } }).stdout).toBe('relay=perl\n');
  });

  it('exits 3 on a host with none of them', () => {
    expect(runUnderDash(detect, [], { env: { PATH: pathWith() } }).status).toBe(3);
  });
});

describe.each(['socat', 'python3', 'perl'])('api-relay.sh with %s under dash', (tool) => {
  it.skipIf(!has(tool))('prints the marker once connected, relays HTTP both ways, and ends with its stdin', async () => {
    const stream = spawnUnderDash(relay, [tool, socket, 'MARK']);
    try {
      await stream.waitFor('MARK\n');
      let tree: number[] = [];
      await until(() => (tree = stream.tree()).length >= 1, 'the relay running');
      stream.child.stdin.write('GET /machine-config HTTP/1.1\r\nHost: x\r\n\r\n');
      await stream.waitFor('{"method":"GET","url":"/machine-config"}');
      expect(stream.stdout().toString()).toMatch(/^MARK\nHTTP\/1\.1 200 OK\r\n/);
      stream.child.stdin.end();
      await stream.exited;
      await until(() => tree.every((pid) => !alive(pid)), 'the relay gone with its channel');
    } finally {
      stream.cleanup();
    }
  });
});

describe('api-relay.sh failures', () => {
  it('exits 3 when there is no socket', async () => {
    const stream = spawnUnderDash(relay, ['socat', join(dir, 'missing.sock'), 'MARK']);
    expect(await stream.exited).toBe(3);
    stream.cleanup();
  });

  it.each(['socat', 'perl'])('exits 4 with %s when the socket refuses connections (no marker)', async (tool) => {
    // A socket file nobody listens on any more: connect() is refused.
    const dead = join(dir, `dead-${tool}.sock`);
    execFileSync('perl', ['-MIO::Socket::UNIX', '-e', 'IO::Socket::UNIX->new(Type => SOCK_STREAM(), Local => $ARGV[0]) or die', dead]);
    const stream = spawnUnderDash(relay, [tool, dead, 'MARK']);
    expect(await stream.exited).toBe(4);
    expect(stream.stdout().toString()).toBe('');
    stream.cleanup();
  });

  it('exits 5 when the tool is missing', async () => {
    const stream = spawnUnderDash(relay, ['socat', socket, 'MARK'], { env: { PATH: pathWith() } });
    expect(await stream.exited).toBe(5);
    stream.cleanup();
  });
});
