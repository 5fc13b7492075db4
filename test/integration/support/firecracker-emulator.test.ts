import { execFileSync, spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { chmodSync, closeSync, existsSync, mkdtempSync, openSync, readFileSync, rmSync, statSync, writeFileSync, writeSync } from 'node:fs';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Agent, request } from 'undici';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { emulatorPath } from '../../support/vm-fixtures';

/*
 * Scenarios against `firecracker --api-sock`. By default they run against the emulator (a test
 * double under test/support/firecracker-emulator, bundled at test setup); with FIRECRACKER_BIN set they run unchanged against a real
 * binary, which is how the double is kept honest. Scenarios that boot a guest need
 * FIRECRACKER_KERNEL and FIRECRACKER_ROOTFS as well when a real binary is used; the ones that
 * rely on the double's fake guest shell or on texts only the double can produce without KVM
 * run against the emulator only.
 */

const EMULATOR = emulatorPath;
const REAL_BIN = process.env.FIRECRACKER_BIN;
const real = REAL_BIN !== undefined && REAL_BIN !== '';
const BIN = real ? REAL_BIN : EMULATOR;
const REAL_KERNEL = process.env.FIRECRACKER_KERNEL;
const REAL_ROOTFS = process.env.FIRECRACKER_ROOTFS;
const canBoot = !real || (Boolean(REAL_KERNEL) && Boolean(REAL_ROOTFS));
const NO_BOOT_REASON = 'a real binary needs FIRECRACKER_KERNEL and FIRECRACKER_ROOTFS to boot a guest';
const EMULATOR_ONLY = 'depends on the emulator (fake guest shell, or a host architecture faked with PATH)';
const BOOT_ARGS = 'console=ttyS0 reboot=k panic=1 pci=off';

const NSA = 'The requested operation is not supported after starting the microVM.';
const NSB = 'The requested operation is not supported before starting the microVM.';

type Method = 'GET' | 'PUT' | 'PATCH';
type Json = Record<string, unknown>;

interface Fc {
  proc: ChildProcess;
  sock: string;
  stdout: () => string;
  stderr: () => string;
  exit: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  agent: Agent;
}

interface ApiResult {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  text: string;
  json: () => Json;
}

let dir = '';
let started: Fc[] = [];
let fds: number[] = [];

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'fc-emulator-test-'));
  started = [];
  fds = [];
});

afterEach(async () => {
  for (const fc of started) {
    if (fc.proc.exitCode === null && fc.proc.signalCode === null) fc.proc.kill('SIGKILL');
    await withTimeout(fc.exit, 5000, 'process exit after SIGKILL');
    await fc.agent.close();
  }
  for (const fd of fds) closeSync(fd);
  rmSync(dir, { recursive: true, force: true });
});

function withTimeout<T>(p: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`timed out after ${ms} ms waiting for ${what}`)), ms);
  });
  return Promise.race([p, timeout]).finally(() => clearTimeout(timer));
}

async function waitFor(check: () => boolean, ms: number, what: string): Promise<void> {
  const deadline = Date.now() + ms;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`timed out after ${ms} ms waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

/** A directory whose `uname` prints `arch`, to put first on the emulator's PATH. */
function fakeUname(arch: string): string {
  const d = join(dir, `uname-${arch}`);
  execFileSync('mkdir', ['-p', d]);
  writeFileSync(join(d, 'uname'), `#!/bin/sh\necho ${arch}\n`);
  chmodSync(join(d, 'uname'), 0o755);
  return d;
}

interface StartOptions {
  args?: string[];
  arch?: 'x86_64' | 'aarch64';
  stdin?: 'pipe' | 'ignore' | number;
  sock?: string;
  waitForSocket?: boolean;
}

/** Spawns the binary and (by default) waits until its API socket accepts connections. */
async function startFc(opts: StartOptions = {}): Promise<Fc> {
  const sock = opts.sock ?? join(dir, `fc-${started.length}.sock`);
  const env = { ...process.env };
  if (!real) env.PATH = `${fakeUname(opts.arch ?? 'x86_64')}:${process.env.PATH ?? ''}`;
  const proc = spawn(BIN, ['--api-sock', sock, ...(opts.args ?? [])], { stdio: [opts.stdin ?? 'pipe', 'pipe', 'pipe'], env });
  let out = '';
  let err = '';
  proc.stdout?.on('data', (d: Buffer) => (out += d.toString('utf8')));
  proc.stderr?.on('data', (d: Buffer) => (err += d.toString('utf8')));
  const exit = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => {
    proc.on('exit', (code, signal) => resolve({ code, signal }));
  });
  const fc: Fc = { proc, sock, stdout: () => out, stderr: () => err, exit, agent: new Agent({ connect: { socketPath: sock } }) };
  started.push(fc);
  if (opts.waitForSocket !== false) {
    await waitFor(() => out.includes('API server started.') || proc.exitCode !== null, 10_000, 'the API server to start');
    expect(proc.exitCode, `stderr: ${err}`).toBeNull();
  }
  return fc;
}

async function api(fc: Fc, method: Method, path: string, body?: unknown): Promise<ApiResult> {
  const payload = body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body);
  const res = await request(`http://localhost${path}`, {
    method,
    dispatcher: fc.agent,
    body: payload,
    headers: payload === undefined ? {} : { 'content-type': 'application/json' },
  });
  const text = await res.body.text();
  return { status: res.statusCode, headers: res.headers, text, json: () => JSON.parse(text) as Json };
}

/** Expects a 400 `{"fault_message": ...}` and returns the message. */
async function fault(fc: Fc, method: Method, path: string, body?: unknown): Promise<string> {
  const r = await api(fc, method, path, body);
  expect(r.status, r.text).toBe(400);
  return String(r.json().fault_message);
}

async function ok(fc: Fc, method: Method, path: string, body?: unknown): Promise<void> {
  const r = await api(fc, method, path, body);
  expect(r.status, `${method} ${path}: ${r.text}`).toBe(204);
  expect(r.text).toBe('');
}

/** Sends raw bytes on a fresh connection and returns what arrives within `ms` (or once `until` matches). */
function raw(sock: string, data: string, until: (got: string) => boolean, ms = 3000): Promise<string> {
  return new Promise((resolve, reject) => {
    const s = connect(sock);
    let got = '';
    const timer = setTimeout(() => {
      s.destroy();
      resolve(got);
    }, ms);
    s.on('data', (d: Buffer) => {
      got += d.toString('latin1');
      if (until(got)) {
        clearTimeout(timer);
        s.destroy();
        resolve(got);
      }
    });
    s.on('error', (e) => {
      clearTimeout(timer);
      reject(e);
    });
    s.write(data);
  });
}

/** A minimal x86_64 ELF header (e_machine 62, EM_X86_64). */
function x86Kernel(): Buffer {
  const b = Buffer.alloc(4096);
  b.write('\x7fELF', 0, 'latin1');
  b[4] = 2; // 64-bit
  b[5] = 1; // little endian
  b[6] = 1;
  b.writeUInt16LE(2, 16); // ET_EXEC
  b.writeUInt16LE(62, 18);
  b.writeUInt32LE(1, 20);
  return b;
}

/** A minimal arm64 `Image` header: magic "ARM\x64" at offset 0x38. */
function arm64Image(): Buffer {
  const b = Buffer.alloc(4096);
  b.write('ARM\x64', 0x38, 'latin1');
  return b;
}

function file(name: string, content: Buffer | string): string {
  const p = join(dir, name);
  writeFileSync(p, content);
  return p;
}

function bootFiles(arch: 'x86_64' | 'aarch64' = 'x86_64'): { kernel: string; rootfs: string } {
  if (real) return { kernel: REAL_KERNEL ?? '', rootfs: REAL_ROOTFS ?? '' };
  const rootfs = file('rootfs.ext4', '');
  execFileSync('truncate', ['-s', '16M', rootfs]);
  return { kernel: file(arch === 'x86_64' ? 'vmlinux' : 'Image', arch === 'x86_64' ? x86Kernel() : arm64Image()), rootfs };
}

async function configure(fc: Fc, arch: 'x86_64' | 'aarch64' = 'x86_64', machine: Json = { vcpu_count: 2, mem_size_mib: 256 }): Promise<void> {
  const { kernel, rootfs } = bootFiles(arch);
  await ok(fc, 'PUT', '/boot-source', { kernel_image_path: kernel, boot_args: BOOT_ARGS });
  await ok(fc, 'PUT', '/drives/rootfs', { drive_id: 'rootfs', path_on_host: rootfs, is_root_device: true, is_read_only: false });
  await ok(fc, 'PUT', '/machine-config', machine);
}

async function boot(fc: Fc, arch: 'x86_64' | 'aarch64' = 'x86_64'): Promise<void> {
  await configure(fc, arch);
  await ok(fc, 'PUT', '/actions', { action_type: 'InstanceStart' });
}

async function state(fc: Fc): Promise<unknown> {
  return (await api(fc, 'GET', '/')).json().state;
}

/** A FIFO for the child's stdin: the real binary forwards stdin to the guest only from a TTY or FIFO. */
function stdinFifo(): number {
  const p = join(dir, 'stdin.fifo');
  execFileSync('mkfifo', [p]);
  const fd = openSync(p, 'r+');
  fds.push(fd);
  return fd;
}

describe(`firecracker API (${real ? 'real binary' : 'emulator test double'})`, () => {
  describe('command line and process', () => {
    it('prints its version exactly and exits 0', () => {
      const out = execFileSync(BIN, ['--version'], { encoding: 'utf8' });
      expect(out).toBe('Firecracker v1.12.0\n\n');
    });

    it('prints help that starts like --version', () => {
      const out = execFileSync(BIN, ['--help'], { encoding: 'utf8' });
      expect(out.startsWith('Firecracker v1.12.0\n\noptional arguments:\n')).toBe(true);
      expect(out).toContain('--api-sock');
    });

    it('refuses an unknown flag with exit 153', async () => {
      const fc = await startFc({ args: ['--bogus'], waitForSocket: false });
      expect(await withTimeout(fc.exit, 5000, 'exit')).toEqual({ code: 153, signal: null });
      expect(fc.stdout()).toContain("Arguments parsing error: Found argument 'bogus' which wasn't expected, or isn't valid in this context. \n\nFor more information try --help.");
    });

    it('aborts on an invalid --id', async () => {
      const fc = await startFc({ args: ['--id', 'has_underscore'], waitForSocket: false });
      expect(await withTimeout(fc.exit, 5000, 'exit')).toEqual({ code: null, signal: 'SIGABRT' });
    });

    it('fails with exit 1 when the socket path is already in use, and leaves the path alone', async () => {
      const sock = file('taken.sock', 'not a socket');
      const fc = await startFc({ sock, waitForSocket: false });
      expect(await withTimeout(fc.exit, 5000, 'exit')).toEqual({ code: 1, signal: null });
      expect(fc.stdout()).toContain(`RunWithApiError error: Failed to open the API socket at: ${sock}. Check that it is not already used.`);
      expect(fc.stdout()).toContain('Firecracker exiting with error. exit_code=1');
      expect(readFileSync(sock, 'utf8')).toBe('not a socket');
    });

    it('logs its startup to stdout with the instance id', async () => {
      const fc = await startFc({ args: ['--id', 'vm-42'] });
      expect(fc.stdout()).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{9} \[vm-42:main\] Running Firecracker v1\.12\.0$/m);
      expect(fc.stdout()).toContain(`[vm-42:main] Listening on API socket ("${fc.sock}").`);
    });

    it('dies by SIGTERM without cleanup: the socket file stays behind', async () => {
      const fc = await startFc();
      fc.proc.kill('SIGTERM');
      expect(await withTimeout(fc.exit, 5000, 'exit')).toEqual({ code: null, signal: 'SIGTERM' });
      expect(statSync(fc.sock).isSocket()).toBe(true);
    });

    it('keeps running when stdin reaches EOF', async (ctx) => {
      if (real) ctx.skip('the real binary reads stdin only from a TTY or FIFO');
      const fc = await startFc();
      await boot(fc);
      await waitFor(() => fc.stdout().endsWith('# '), 5000, 'the shell prompt');
      // While paused the guest reads nothing, so the command and the EOF after it wait in the
      // pipe together; on resume the emulator reads both in one go and handles the EOF before
      // it serves another API request. The answer to GET / therefore comes after the EOF.
      await ok(fc, 'PATCH', '/vm', { state: 'Paused' });
      fc.proc.stdin?.end('echo last-words\n');
      await ok(fc, 'PATCH', '/vm', { state: 'Resumed' });
      await waitFor(() => fc.stdout().includes('last-words\r\n# '), 5000, 'the answer to the last command');
      expect(await state(fc)).toBe('Running');
      expect(fc.proc.exitCode).toBeNull();
    });

    it('exits 156 on SIGHUP after logging it', async () => {
      const fc = await startFc();
      fc.proc.kill('SIGHUP');
      expect(await withTimeout(fc.exit, 5000, 'exit')).toEqual({ code: 156, signal: null });
      expect(fc.stdout()).toContain('Shutting down VM after intercepting signal 1, code 0.');
    });

    it('configures and boots from --config-file', async (ctx) => {
      if (!canBoot) ctx.skip(NO_BOOT_REASON);
      const { kernel, rootfs } = bootFiles();
      const config = file('vm.json', JSON.stringify({
        'boot-source': { kernel_image_path: kernel, boot_args: BOOT_ARGS },
        drives: [{ drive_id: 'rootfs', path_on_host: rootfs, is_root_device: true, is_read_only: false }],
        'machine-config': { vcpu_count: 1, mem_size_mib: 128 },
      }));
      const fc = await startFc({ args: ['--config-file', config] });
      await waitFor(() => fc.stdout().includes('API server started.'), 5000, 'the API');
      expect(await state(fc)).toBe('Running');
    });
  });

  describe('HTTP details', () => {
    it('answers GET / before boot', async () => {
      const fc = await startFc({ args: ['--id', 'test-vm'] });
      const r = await api(fc, 'GET', '/');
      expect(r.status).toBe(200);
      expect(r.headers.server).toBe('Firecracker API');
      expect(r.headers['content-type']).toBe('application/json');
      expect(r.text).toBe('{"id":"test-vm","state":"Not started","vmm_version":"1.12.0","app_name":"Firecracker"}');
      expect((await api(fc, 'GET', '/version')).text).toBe('{"firecracker_version":"1.12.0"}');
    });

    it('writes 204 and 200 responses byte for byte like micro-http', async () => {
      const fc = await startFc();
      const body = '{"vcpu_count":1,"mem_size_mib":128}';
      const r204 = await raw(fc.sock, `PUT /machine-config HTTP/1.1\r\nContent-Length: ${body.length}\r\n\r\n${body}`, (g) => g.endsWith('\r\n\r\n'));
      expect(r204).toBe('HTTP/1.1 204 \r\nServer: Firecracker API\r\nConnection: keep-alive\r\n\r\n');
      const r200 = await raw(fc.sock, 'GET /machine-config HTTP/1.1\r\n\r\n', (g) => g.endsWith('}'));
      const json = '{"vcpu_count":1,"mem_size_mib":128,"smt":false,"track_dirty_pages":false,"huge_pages":"None"}';
      expect(r200).toBe(`HTTP/1.1 200 \r\nServer: Firecracker API\r\nConnection: keep-alive\r\nContent-Type: application/json\r\nContent-Length: ${json.length}\r\n\r\n${json}`);
    });

    it('rejects a payload over the limit as soon as the headers end', async () => {
      const fc = await startFc({ args: ['--http-api-max-payload-size', '50'] });
      const got = await raw(fc.sock, 'PUT /mmds HTTP/1.1\r\nContent-Length: 50000\r\n\r\n', (g) => g.endsWith('}'));
      expect(got).toBe(
        'HTTP/1.1 400 \r\nServer: Firecracker API\r\nConnection: keep-alive\r\nContent-Type: application/json\r\nContent-Length: 146\r\n\r\n' +
          '{ "error": "Request payload with size 50000 is larger than the limit of 50 allowed by server.\nAll previous unanswered requests will be dropped." }',
      );
    });

    it('refuses an unsupported method with a micro-http error body', async () => {
      const fc = await startFc();
      const got = await raw(fc.sock, 'DELETE /drives/x HTTP/1.1\r\n\r\n', (g) => g.endsWith('}'));
      expect(got).toMatch(/^HTTP\/1\.1 400 \r\n/);
      expect(got.endsWith('\r\n\r\n{ "error": "Invalid HTTP Method: Unsupported HTTP method.\nAll previous unanswered requests will be dropped." }')).toBe(true);
    });

    it('answers unknown endpoints and wrong methods with 400, not 404', async () => {
      const fc = await startFc();
      expect(await fault(fc, 'GET', '/foo/bar')).toBe('Invalid request method and/or path: GET foo.');
      expect(await fault(fc, 'GET', '/boot-source')).toBe('Invalid request method and/or path: GET boot-source.');
      expect(await fault(fc, 'PATCH', '/logger', {})).toBe('Invalid request method and/or path: PATCH logger.');
      expect(await fault(fc, 'PUT', '/snapshot/other', {})).toBe('Invalid request method and/or path: PUT /snapshot/other.');
      expect(await fault(fc, 'GET', '/balloon/other')).toBe('Unrecognized GET request path `other`.');
      expect(await fault(fc, 'PUT', '/drives/a-b', { drive_id: 'a-b' })).toBe('API Resource IDs can only contain alphanumeric characters and underscores.');
    });

    it('turns away an 11th simultaneous connection', async () => {
      const fc = await startFc();
      const held = await Promise.all(
        Array.from({ length: 10 }, () => new Promise<ReturnType<typeof connect>>((resolve, reject) => {
          const s = connect(fc.sock, () => resolve(s));
          s.on('error', reject);
        })),
      );
      try {
        // Each held connection is answered, so the server has accepted all ten.
        await Promise.all(held.map((s) => new Promise<void>((resolve) => {
          s.once('data', () => resolve());
          s.write('GET /version HTTP/1.1\r\n\r\n');
        })));
        const got = await raw(fc.sock, '', (g) => g.endsWith('}'));
        expect(got).toBe('HTTP/1.1 503\r\nServer: Firecracker API\r\nConnection: close\r\nContent-Length: 40\r\n\r\n{ "error": "Too many open connections" }');
      } finally {
        for (const s of held) s.destroy();
      }
    });

    it('checks bodies before anything else', async () => {
      const fc = await startFc();
      const r = await raw(fc.sock, 'PUT /machine-config HTTP/1.1\r\n\r\n', (g) => g.endsWith('}'));
      expect(r).toContain('{"fault_message":"Empty PUT request."}');
      expect(await fault(fc, 'PATCH', '/machine-config', {})).toBe('Empty PATCH request.');
    });
  });

  describe('request validation', () => {
    it('reports malformed JSON with serde_json positions', async () => {
      const fc = await startFc();
      const prefix = 'An error occurred when deserializing the json body of a request: ';
      expect(await fault(fc, 'PUT', '/machine-config', '{"vcpu_count": 2,')).toBe(`${prefix}EOF while parsing a value at line 1 column 17.`);
      expect(await fault(fc, 'PUT', '/machine-config', 'nope')).toBe(`${prefix}expected ident at line 1 column 2.`);
      expect(await fault(fc, 'PUT', '/machine-config', '{"mem_size_mib": 128}')).toBe(`${prefix}missing field \`vcpu_count\` at line 1 column 21.`);
      expect(await fault(fc, 'PUT', '/machine-config', '{"vcpu_count": 300, "mem_size_mib": 128}')).toBe(`${prefix}invalid value: integer \`300\`, expected u8 at line 1 column 18.`);
      expect(await fault(fc, 'PUT', '/actions', '{"action_type": "Reboot"}')).toBe(
        `${prefix}unknown variant \`Reboot\`, expected one of \`FlushMetrics\`, \`InstanceStart\`, \`SendCtrlAltDel\` at line 1 column 24.`,
      );
      expect(await fault(fc, 'PUT', '/vm/config', '{}')).toBe('Invalid request method and/or path: PUT vm.');
      expect(await fault(fc, 'PATCH', '/vm', '{"state": "Paused", "x": 1}')).toBe(`${prefix}unknown field \`x\`, expected \`state\` at line 1 column 23.`);
    });

    it('validates machine configuration ranges', async () => {
      const fc = await startFc();
      const vcpu = 'Machine config error: The number of vCPUs must be greater than 0, less than 32 and must be 1 or an even number if SMT is enabled.';
      expect(await fault(fc, 'PUT', '/machine-config', { vcpu_count: 0, mem_size_mib: 128 })).toBe(vcpu);
      expect(await fault(fc, 'PUT', '/machine-config', { vcpu_count: 33, mem_size_mib: 128 })).toBe(vcpu);
      await ok(fc, 'PUT', '/machine-config', { vcpu_count: 32, mem_size_mib: 128 });
      expect(await fault(fc, 'PUT', '/machine-config', { vcpu_count: 2, mem_size_mib: 0 })).toBe(
        'Machine config error: The memory size (MiB) is either 0, or not a multiple of the configured page size.',
      );
      await ok(fc, 'PATCH', '/machine-config', { mem_size_mib: 512 });
      expect((await api(fc, 'GET', '/machine-config')).json()).toEqual({ vcpu_count: 32, mem_size_mib: 512, smt: false, track_dirty_pages: false, huge_pages: 'None' });
    });

    it('refuses a missing kernel file when the boot source is set', async () => {
      const fc = await startFc();
      expect(await fault(fc, 'PUT', '/boot-source', { kernel_image_path: join(dir, 'missing-vmlinux') })).toBe(
        'Boot source error: The kernel file cannot be opened: No such file or directory (os error 2)',
      );
      expect(await fault(fc, 'PUT', '/actions', { action_type: 'InstanceStart' })).toBe('Start microvm error: Cannot start microvm without kernel configuration.');
    });

    it('refuses a missing rootfs file when the drive is set', async () => {
      const fc = await startFc();
      const p = join(dir, 'missing.ext4');
      expect(await fault(fc, 'PUT', '/drives/rootfs', { drive_id: 'rootfs', path_on_host: p, is_root_device: true })).toBe(
        `Drive config error: Unable to create the virtio block device: Virtio backend error: Error manipulating the backing file: No such file or directory (os error 2) ${p}`,
      );
      expect(await fault(fc, 'PUT', '/drives/other', { drive_id: 'rootfs', path_on_host: p, is_root_device: true })).toBe(
        'The id from the path does not match the id from the body!',
      );
    });

    it('reports the full configuration with defaults', async () => {
      const fc = await startFc();
      const r = await api(fc, 'GET', '/vm/config');
      expect(r.text).toBe(
        '{"balloon":null,"drives":[],"boot-source":{"kernel_image_path":"","initrd_path":null,"boot_args":null},"cpu-config":null,"logger":null,' +
          '"machine-config":{"vcpu_count":1,"mem_size_mib":128,"smt":false,"track_dirty_pages":false,"huge_pages":"None"},' +
          '"metrics":null,"mmds-config":null,"network-interfaces":[],"vsock":null,"entropy":null}',
      );
    });

    it('refuses post-boot-only calls before boot', async () => {
      const fc = await startFc();
      expect(await fault(fc, 'PATCH', '/vm', { state: 'Paused' })).toBe(NSB);
      expect(await fault(fc, 'PUT', '/actions', { action_type: 'FlushMetrics' })).toBe(NSB);
      expect(await fault(fc, 'PUT', '/snapshot/create', { snapshot_path: join(dir, 's'), mem_file_path: join(dir, 'm') })).toBe(NSB);
    });

    it('keeps an MMDS data store with its limits', async () => {
      const fc = await startFc({ args: ['--mmds-size-limit', '64'] });
      expect(await fault(fc, 'PATCH', '/mmds', { a: 1 })).toBe('MMDS error: The MMDS data store is not initialized.');
      expect((await api(fc, 'GET', '/mmds')).text).toBe('{}');
      await ok(fc, 'PUT', '/mmds', { latest: { id: 'i-1' }, drop: true });
      await ok(fc, 'PATCH', '/mmds', { drop: null, extra: 2 });
      expect((await api(fc, 'GET', '/mmds')).json()).toEqual({ latest: { id: 'i-1' }, extra: 2 });
      const big = await api(fc, 'PUT', '/mmds', { data: 'x'.repeat(100) });
      expect(big.status).toBe(413);
      expect(big.text).toBe('{"fault_message":"MMDS limit exceeded error: The MMDS patch request doesn\'t fit."}');
      expect(await fault(fc, 'PUT', '/mmds/config', { network_interfaces: ['eth0'] })).toBe(
        'MMMDS config error: The list of network interface IDs provided contains at least one ID that does not correspond to any existing network interface.',
      );
    });

    it('reports configured devices in /vm/config', async () => {
      const fc = await startFc();
      const logPath = file('fc.log', '');
      await ok(fc, 'PUT', '/logger', { log_path: logPath, level: 'Info', show_level: true });
      await ok(fc, 'PUT', '/vsock', { guest_cid: 3, uds_path: join(dir, 'v.sock') });
      expect(statSync(join(dir, 'v.sock')).isSocket()).toBe(true);
      expect(await fault(fc, 'PUT', '/balloon', { amount_mib: 4096, deflate_on_oom: true })).toBe('Balloon config error: Amount of pages requested is too large.');
      await ok(fc, 'PUT', '/balloon', { amount_mib: 16, deflate_on_oom: true, stats_polling_interval_s: 1 });
      await ok(fc, 'PUT', '/entropy', { rate_limiter: { bandwidth: { size: 1000, refill_time: 100 } } });
      const cfg = (await api(fc, 'GET', '/vm/config')).json();
      expect(cfg.vsock).toEqual({ guest_cid: 3, uds_path: join(dir, 'v.sock') });
      expect(cfg.balloon).toEqual({ amount_mib: 16, deflate_on_oom: true, stats_polling_interval_s: 1 });
      expect(cfg.entropy).toEqual({ rate_limiter: { bandwidth: { size: 1000, one_time_burst: null, refill_time: 100 }, ops: null } });
      expect((await api(fc, 'GET', '/balloon')).json()).toEqual({ amount_mib: 16, deflate_on_oom: true, stats_polling_interval_s: 1 });
      expect(await fault(fc, 'GET', '/balloon/statistics')).toBe(NSB);
      expect(readFileSync(logPath, 'utf8')).toMatch(/:INFO\] The API server received a Put request on "\/vsock"/);
    });

    it('configures network interfaces and MMDS', async (ctx) => {
      if (real) ctx.skip('a real binary opens a TAP device, which needs CAP_NET_ADMIN and /dev/net/tun');
      const fc = await startFc();
      await ok(fc, 'PUT', '/network-interfaces/eth0', { iface_id: 'eth0', host_dev_name: 'tap0', guest_mac: 'AA:FC:00:00:00:01' });
      expect(await fault(fc, 'PUT', '/network-interfaces/eth1', { iface_id: 'eth1', host_dev_name: 'tap1', guest_mac: 'aa:fc:00:00:00:01' })).toBe(
        'Network config error: The MAC address is already in use: aa:fc:00:00:00:01',
      );
      expect(await fault(fc, 'PUT', '/network-interfaces/eth1', { iface_id: 'eth2', host_dev_name: 'tap1' })).toBe(
        'The id from the path [eth1] does not match the id from the body [eth2]!',
      );
      expect(await fault(fc, 'PUT', '/mmds/config', { network_interfaces: ['eth0'], ipv4_address: '10.0.0.1' })).toBe('MMMDS config error: The MMDS IPv4 address is not link local.');
      const r = await api(fc, 'PUT', '/mmds/config', { network_interfaces: ['eth0'] });
      expect(r.status).toBe(204);
      expect(r.headers.deprecation).toBe('true');
      const cfg = (await api(fc, 'GET', '/vm/config')).json();
      expect(cfg['mmds-config']).toEqual({ version: 'V1', network_interfaces: ['eth0'], ipv4_address: '169.254.169.254' });
      expect(cfg['network-interfaces']).toEqual([{ iface_id: 'eth0', host_dev_name: 'tap0', guest_mac: 'aa:fc:00:00:00:01', rx_rate_limiter: null, tx_rate_limiter: null }]);
    });

    it('requires an existing metrics file', async () => {
      const fc = await startFc();
      expect(await fault(fc, 'PUT', '/metrics', { metrics_path: join(dir, 'nope.json') })).toBe(
        'Metrics error: Cannot initialize the metrics system due to bad user input: No such file or directory (os error 2)',
      );
      const metricsPath = file('metrics.json', '');
      await ok(fc, 'PUT', '/metrics', { metrics_path: metricsPath });
      expect(await fault(fc, 'PUT', '/metrics', { metrics_path: metricsPath })).toBe(
        'Metrics error: Cannot initialize the metrics system due to bad user input: Reinitialization of metrics not allowed.',
      );
    });
  });

  describe('state machine', () => {
    it('boots: configure + InstanceStart makes it Running', async (ctx) => {
      if (!canBoot) ctx.skip(NO_BOOT_REASON);
      const fc = await startFc();
      await boot(fc);
      expect(await state(fc)).toBe('Running');
      const cfg = (await api(fc, 'GET', '/vm/config')).json();
      expect(cfg['machine-config']).toMatchObject({ vcpu_count: 2, mem_size_mib: 256 });
      expect((cfg.drives as Json[])[0]).toMatchObject({ drive_id: 'rootfs', is_root_device: true, is_read_only: false, io_engine: 'Sync', cache_type: 'Unsafe' });
    });

    it('refuses a second InstanceStart and pre-boot calls after boot', async (ctx) => {
      if (!canBoot) ctx.skip(NO_BOOT_REASON);
      const fc = await startFc();
      await boot(fc);
      expect(await fault(fc, 'PUT', '/actions', { action_type: 'InstanceStart' })).toBe(NSA);
      expect(await fault(fc, 'PUT', '/machine-config', { vcpu_count: 1, mem_size_mib: 128 })).toBe(NSA);
      expect(await fault(fc, 'PUT', '/boot-source', { kernel_image_path: '/nonexistent' })).toBe(NSA);
      // Body errors still come first.
      expect(await fault(fc, 'PUT', '/boot-source', '{}')).toMatch(/^An error occurred when deserializing the json body of a request: missing field `kernel_image_path`/);
    });

    it('pauses and resumes', async (ctx) => {
      if (!canBoot) ctx.skip(NO_BOOT_REASON);
      const fc = await startFc();
      await boot(fc);
      await ok(fc, 'PATCH', '/vm', { state: 'Paused' });
      expect(await state(fc)).toBe('Paused');
      await ok(fc, 'PATCH', '/vm', { state: 'Paused' });
      expect(await state(fc)).toBe('Paused');
      await ok(fc, 'PATCH', '/vm', { state: 'Resumed' });
      expect(await state(fc)).toBe('Running');
    });

    it('writes metrics lines on boot and on FlushMetrics', async (ctx) => {
      if (!canBoot) ctx.skip(NO_BOOT_REASON);
      const fc = await startFc();
      const metricsPath = file('metrics.json', '');
      await ok(fc, 'PUT', '/metrics', { metrics_path: metricsPath });
      await boot(fc);
      await ok(fc, 'PUT', '/actions', { action_type: 'FlushMetrics' });
      const lines = readFileSync(metricsPath, 'utf8').trim().split('\n');
      expect(lines.length).toBeGreaterThanOrEqual(2);
      for (const line of lines) {
        const m = JSON.parse(line) as Json;
        expect(Object.keys(m)[0]).toBe('utc_timestamp_ms');
        expect(m).toHaveProperty('put_api_requests');
      }
    });
  });

  describe('post-boot updates', () => {
    it('patches the balloon, drives and reads balloon statistics', async (ctx) => {
      if (!canBoot) ctx.skip(NO_BOOT_REASON);
      const fc = await startFc();
      await ok(fc, 'PUT', '/balloon', { amount_mib: 0, deflate_on_oom: false, stats_polling_interval_s: 1 });
      await boot(fc);
      await ok(fc, 'PATCH', '/balloon', { amount_mib: 32 });
      expect((await api(fc, 'GET', '/balloon')).json()).toMatchObject({ amount_mib: 32 });
      const stats = (await api(fc, 'GET', '/balloon/statistics')).json();
      expect(stats).toMatchObject({ target_mib: 32, target_pages: 32 * 256 });
      expect(await fault(fc, 'PATCH', '/balloon/statistics', { stats_polling_interval_s: 0 })).toBe(
        'Balloon config error: Error creating the balloon device: Statistics cannot be enabled/disabled after activation.',
      );
      expect(await fault(fc, 'PATCH', '/drives/rootfs', { drive_id: 'rootfs' })).toBe(
        'Drive config error: Unable to patch the block device: Device manager error: Running method expected different backend. Please verify the request arguments.',
      );
      const moved = file('moved.ext4', '');
      await ok(fc, 'PATCH', '/drives/rootfs', { drive_id: 'rootfs', path_on_host: moved });
      expect(((await api(fc, 'GET', '/vm/config')).json().drives as Json[])[0]).toMatchObject({ path_on_host: moved });
    });
  });

  describe('kernel images and architectures', () => {
    it('refuses an arm64 Image on x86_64 at InstanceStart', async (ctx) => {
      if (real) ctx.skip(EMULATOR_ONLY);
      const fc = await startFc({ arch: 'x86_64' });
      await ok(fc, 'PUT', '/boot-source', { kernel_image_path: file('Image', arm64Image()) });
      expect(await fault(fc, 'PUT', '/actions', { action_type: 'InstanceStart' })).toBe(
        'Start microvm error: System configuration error: Cannot load kernel due to invalid memory configuration or invalid kernel image: Kernel Loader: failed to load ELF kernel image',
      );
      expect(await state(fc)).toBe('Not started');
    });

    it('refuses an x86_64 ELF and a non-kernel on aarch64, then boots an arm64 Image', async (ctx) => {
      if (real) ctx.skip(EMULATOR_ONLY);
      const fc = await startFc({ arch: 'aarch64' });
      const pe = 'Start microvm error: System configuration error: Cannot load kernel due to invalid memory configuration or invalid kernel image: Kernel Loader: failed to load PE kernel image';
      await ok(fc, 'PUT', '/boot-source', { kernel_image_path: file('vmlinux', x86Kernel()) });
      expect(await fault(fc, 'PUT', '/actions', { action_type: 'InstanceStart' })).toBe(pe);
      await ok(fc, 'PUT', '/boot-source', { kernel_image_path: file('notes.txt', 'just text') });
      expect(await fault(fc, 'PUT', '/actions', { action_type: 'InstanceStart' })).toBe(pe);
      expect(await fault(fc, 'PUT', '/actions', { action_type: 'SendCtrlAltDel' })).toBe('SendCtrlAltDel does not supported on aarch64.');
      expect(await fault(fc, 'PUT', '/machine-config', { vcpu_count: 2, mem_size_mib: 128, smt: true })).toBe(
        'Machine config error: Enabling simultaneous multithreading is not supported on aarch64.',
      );
      await boot(fc, 'aarch64');
      expect(await state(fc)).toBe('Running');
    });
  });

  describe('serial console', () => {
    it('boots a fake guest and answers on the console', async (ctx) => {
      if (real) ctx.skip(EMULATOR_ONLY);
      const stdin = stdinFifo();
      const fc = await startFc({ stdin });
      await boot(fc);
      await waitFor(() => fc.stdout().includes('login: root (automatic login)'), 5000, 'the guest login line');
      await waitFor(() => fc.stdout().endsWith('# '), 5000, 'the shell prompt');
      writeSync(stdin, 'echo hello from the test\n');
      await waitFor(() => fc.stdout().includes('echo hello from the test\r\nhello from the test\r\n# '), 5000, 'the echo answer');
      writeSync(stdin, 'uname -m\n');
      await waitFor(() => fc.stdout().includes('uname -m\r\nx86_64\r\n# '), 5000, 'the uname answer');
      writeSync(stdin, 'frobnicate now\n');
      await waitFor(() => fc.stdout().includes('sh: frobnicate: not found\r\n'), 5000, 'the not-found answer');
    });

    it('stops answering while paused and catches up on resume', async (ctx) => {
      if (real) ctx.skip(EMULATOR_ONLY);
      const stdin = stdinFifo();
      const fc = await startFc({ stdin });
      await boot(fc);
      await waitFor(() => fc.stdout().endsWith('# '), 5000, 'the shell prompt');
      await ok(fc, 'PATCH', '/vm', { state: 'Paused' });
      writeSync(stdin, 'echo after-pause\n');
      await ok(fc, 'PATCH', '/vm', { state: 'Resumed' });
      await waitFor(() => fc.stdout().includes('echo after-pause\r\nafter-pause\r\n'), 5000, 'the buffered answer');
      // The log line of the resume shares stdout with the console: nothing of the command,
      // not even its echo, came out before it.
      const resumed = fc.stdout().indexOf("'resume vm' VMM action took");
      expect(resumed).toBeGreaterThan(-1);
      expect(fc.stdout().indexOf('after-pause')).toBeGreaterThan(resumed);
    });

    it('stays silent with the default command line, which disables the UART', async (ctx) => {
      if (real) ctx.skip(EMULATOR_ONLY);
      const fc = await startFc({ args: ['--boot-timer'] });
      const { kernel, rootfs } = bootFiles();
      await ok(fc, 'PUT', '/boot-source', { kernel_image_path: kernel });
      await ok(fc, 'PUT', '/drives/rootfs', { drive_id: 'rootfs', path_on_host: rootfs, is_root_device: true });
      await ok(fc, 'PUT', '/actions', { action_type: 'InstanceStart' });
      // The boot timer logs (on the same stdout) once the guest has booted: a console would
      // have printed its login line before that.
      await waitFor(() => fc.stdout().includes('Guest-boot-time'), 5000, 'the boot timer');
      expect(fc.stdout()).not.toContain('login:');
      expect(await state(fc)).toBe('Running');
    });

    it('panics without a root device and, with panic=1, reboots: the process exits 0', async (ctx) => {
      if (real) ctx.skip(EMULATOR_ONLY);
      const fc = await startFc();
      await ok(fc, 'PUT', '/boot-source', { kernel_image_path: file('vmlinux', x86Kernel()), boot_args: BOOT_ARGS });
      await ok(fc, 'PUT', '/actions', { action_type: 'InstanceStart' });
      expect(await withTimeout(fc.exit, 10_000, 'the guest to reboot after its panic')).toEqual({ code: 0, signal: null });
      expect(fc.stdout()).toContain('Kernel panic - not syncing: VFS: Unable to mount root fs');
    });

    it('exits 0 after SendCtrlAltDel, leaving the socket file behind', async (ctx) => {
      if (!canBoot) ctx.skip(NO_BOOT_REASON);
      const fc = await startFc();
      await boot(fc);
      await ok(fc, 'PUT', '/actions', { action_type: 'SendCtrlAltDel' });
      expect(await withTimeout(fc.exit, 20_000, 'the guest to reboot')).toEqual({ code: 0, signal: null });
      expect(existsSync(fc.sock)).toBe(true);
      if (!real) expect(fc.stdout()).toContain('reboot: Restarting system');
    });
  });

  describe('snapshots', () => {
    it('creates a snapshot only when paused and loads it into a new process', async (ctx) => {
      if (!canBoot) ctx.skip(NO_BOOT_REASON);
      const fc = await startFc();
      await boot(fc);
      const snapshot = join(dir, 'vm.snap');
      const memory = join(dir, 'vm.mem');
      expect(await fault(fc, 'PUT', '/snapshot/create', { snapshot_path: snapshot, mem_file_path: memory })).toBe(
        'Create snapshot error: Cannot save the microVM state: Operation not allowed: save/restore unavailable while running',
      );
      await ok(fc, 'PATCH', '/vm', { state: 'Paused' });
      await ok(fc, 'PUT', '/snapshot/create', { snapshot_path: snapshot, mem_file_path: memory });
      expect(statSync(snapshot).size).toBeGreaterThan(0);
      expect(statSync(memory).size).toBe(256 * 1024 * 1024);
      const kernel = ((await api(fc, 'GET', '/vm/config')).json()['boot-source'] as Json).kernel_image_path;
      fc.proc.kill('SIGKILL');
      await withTimeout(fc.exit, 5000, 'exit');

      const restored = await startFc();
      await ok(restored, 'PUT', '/snapshot/load', { snapshot_path: snapshot, mem_backend: { backend_type: 'File', backend_path: memory } });
      expect(await state(restored)).toBe('Paused');
      const cfg = (await api(restored, 'GET', '/vm/config')).json();
      expect((cfg['boot-source'] as Json).kernel_image_path).toBe(kernel);
      expect(cfg['machine-config']).toMatchObject({ vcpu_count: 2, mem_size_mib: 256 });
      expect(await fault(restored, 'PUT', '/actions', { action_type: 'InstanceStart' })).toBe(NSA);
      await ok(restored, 'PATCH', '/vm', { state: 'Resumed' });
      expect(await state(restored)).toBe('Running');
    });

    it('resumes right away with resume_vm', async (ctx) => {
      if (!canBoot) ctx.skip(NO_BOOT_REASON);
      const fc = await startFc();
      await boot(fc);
      await ok(fc, 'PATCH', '/vm', { state: 'Paused' });
      const snapshot = join(dir, 'vm.snap');
      const memory = join(dir, 'vm.mem');
      await ok(fc, 'PUT', '/snapshot/create', { snapshot_path: snapshot, mem_file_path: memory, snapshot_type: 'Full' });
      const restored = await startFc();
      const r = await api(restored, 'PUT', '/snapshot/load', { snapshot_path: snapshot, mem_file_path: memory, resume_vm: true });
      expect(r.status).toBe(204);
      expect(r.headers.deprecation).toBe('true');
      expect(await state(restored)).toBe('Running');
    });

    it('refuses a load after boot-specific configuration, without exiting', async () => {
      const fc = await startFc();
      await ok(fc, 'PUT', '/machine-config', { vcpu_count: 1, mem_size_mib: 128 });
      expect(await fault(fc, 'PUT', '/snapshot/load', { snapshot_path: join(dir, 'x'), mem_backend: { backend_type: 'File', backend_path: join(dir, 'y') } })).toBe(
        'Load snapshot error: Loading a microVM snapshot not allowed after configuring boot-specific resources.',
      );
      expect(await state(fc)).toBe('Not started');
    });

    it('answers a load of a missing snapshot file, then exits 1', async () => {
      const fc = await startFc();
      const msg = await fault(fc, 'PUT', '/snapshot/load', { snapshot_path: join(dir, 'missing.snap'), mem_backend: { backend_type: 'File', backend_path: join(dir, 'missing.mem') } });
      expect(msg).toBe(
        'Load snapshot error: Failed to restore from snapshot: Failed to get snapshot state from file: Failed to open snapshot file: No such file or directory (os error 2)',
      );
      expect(await withTimeout(fc.exit, 5000, 'exit after a failed load')).toEqual({ code: 1, signal: null });
    });

    it('checks the mem_backend / mem_file_path exclusivity', async () => {
      const fc = await startFc();
      expect(await fault(fc, 'PUT', '/snapshot/load', { snapshot_path: 'a' })).toBe(
        'An error occurred when deserializing the json body of a request: missing field: either `mem_backend` or `mem_file_path` is required.',
      );
      expect(await fault(fc, 'PUT', '/snapshot/load', { snapshot_path: 'a', mem_file_path: 'b', mem_backend: { backend_type: 'File', backend_path: 'b' } })).toBe(
        'An error occurred when deserializing the json body of a request: too many fields: either `mem_backend` or `mem_file_path` exclusively is required.',
      );
    });
  });
});
