import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { closeSync, mkdirSync, openSync, writeFileSync, writeSync } from 'node:fs';
import { createServer } from 'node:net';
import type { Server } from 'node:net';
import { join } from 'node:path';

/**
 * Stand-ins for microVM run directories, for the metrics scripts' unit tests: a `sleep` whose
 * cwd is the run directory (what the scripts take for the VM's process), and a Unix socket that
 * answers every HTTP request with 204 and, like Firecracker on FlushMetrics, writes one metrics
 * line to the metrics file at its own file position (opened read-write, no O_APPEND, as
 * Firecracker opens it).
 */
export interface FakeVm {
  id: string;
  dir: string;
  process: ChildProcess;
  /** Flush requests answered so far. */
  readonly flushes: number;
  /** The next line's counters (block/net deltas and any error counter). */
  next: Record<string, Record<string, number>>;
  /** Writes a line as Firecracker's once-a-minute timer would. */
  writeLine(): void;
  stop(): Promise<void>;
}

export async function startFakeVm(firedeckDir: string, id: string, options: { metrics?: boolean; api?: boolean } = {}): Promise<FakeVm> {
  const dir = join(firedeckDir, 'vms', id);
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, 'config.json'), `${JSON.stringify({ id, vcpus: 1, memoryMib: 128, createdAt: new Date().toISOString() })}\n`);
  const child = spawn('sleep', ['600'], { cwd: dir, stdio: 'ignore' });
  await new Promise<void>((resolve, reject) => {
    child.once('spawn', resolve);
    child.once('error', reject);
  });
  writeFileSync(join(dir, 'firecracker.pid'), `${child.pid}\n`);
  let fd: number | null = null;
  if (options.metrics !== false) {
    writeFileSync(join(dir, 'metrics'), '');
    fd = openSync(join(dir, 'metrics'), 'r+');
  }
  let flushes = 0;
  let stopped = false;
  const vm: FakeVm = {
    id,
    dir,
    process: child,
    get flushes() {
      return flushes;
    },
    next: {},
    writeLine() {
      if (fd === null) return;
      const line = { utc_timestamp_ms: Date.now(), block: { read_bytes: 0, write_bytes: 0 }, net: { rx_bytes_count: 0, tx_bytes_count: 0 }, ...vm.next };
      vm.next = {};
      writeSync(fd, `${JSON.stringify(line)}\n`);
    },
    async stop() {
      if (stopped) return;
      stopped = true;
      child.kill('SIGKILL');
      if (server) await new Promise<void>((resolve) => server!.close(() => resolve()));
      if (fd !== null) closeSync(fd);
    },
  };
  let server: Server | undefined;
  if (options.api !== false) {
    server = createServer((socket) => {
      let request = '';
      socket.on('data', (chunk) => {
        request += chunk.toString('latin1');
        const head = request.indexOf('\r\n\r\n');
        if (head === -1) return;
        const length = Number(/content-length:\s*(\d+)/i.exec(request.slice(0, head))?.[1] ?? 0);
        if (request.length < head + 4 + length) return;
        const body = request.slice(head + 4, head + 4 + length);
        request = request.slice(head + 4 + length);
        if (body.includes('FlushMetrics')) {
          flushes++;
          vm.writeLine();
        }
        socket.write('HTTP/1.1 204 \r\nServer: Firecracker API\r\nConnection: keep-alive\r\n\r\n');
      });
      socket.on('error', () => {});
    });
    await new Promise<void>((resolve) => server!.listen(join(dir, 'api.sock'), resolve));
  }
  return vm;
}
