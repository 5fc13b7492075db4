/**
 * Commands of the script guest that make the VM busy the way a real guest's would, so the app's
 * metrics have something true to show: `yes > /dev/null &` spins a vCPU (this process's CPU time,
 * which is what the host sees of a VM), `dd` moves bytes through a virtio block device (the
 * backing file is really read and written, and the block counters grow), and `ping` sends frames
 * out of the VM's network interface (the net counters grow; no reply comes, as none does from
 * a tap without an address). `jobs` and `kill %N` manage the background ones.
 */
import { fstatSync, readSync, writeSync } from 'node:fs';
import { bumpDeviceMetric } from './metrics';
import type { Vmm } from './vmm';

export interface LoadShell {
  /** Prints a line on the console. */
  say(text: string): void;
  /** Guest time: false while the VM is paused (a paused vCPU runs nothing). */
  running(): boolean;
  /** A timer of guest time. */
  later(ms: number, fn: () => void): void;
}

interface Job {
  id: number;
  pid: number;
  command: string;
  stopped: boolean;
}

/** How long one spin lasts before the emulator serves its API again (a vCPU's time slice). */
const SPIN_SLICE_MS = 40;
/** An Ethernet + IPv4 + ICMP header, as a ping frame carries before its payload. */
const ICMP_FRAME_OVERHEAD = 14 + 20 + 8;

export function createGuestLoad(vmm: Vmm, shell: LoadShell) {
  const jobs: Job[] = [];
  let nextPid = 200;

  function spin(job: Job): void {
    if (job.stopped) return;
    if (!shell.running()) {
      shell.later(50, () => spin(job));
      return;
    }
    const until = performance.now() + SPIN_SLICE_MS;
    while (performance.now() < until) {
      // guest code on a vCPU
    }
    setImmediate(() => spin(job));
  }

  function startJob(command: string, background: boolean, run: (job: Job, done: () => void) => void, done: () => void): void {
    const job: Job = { id: (jobs.at(-1)?.id ?? 0) + 1, pid: nextPid++, command, stopped: false };
    if (background) {
      jobs.push(job);
      shell.say(`[${job.id}] ${job.pid}`);
      run(job, () => {
        job.stopped = true;
        jobs.splice(jobs.indexOf(job), 1);
      });
      done();
    } else {
      run(job, done);
    }
  }

  /** A block device the guest path is on: /dev/vdX is drive X, any other file is on the root drive. */
  function driveFor(path: string) {
    const dev = /^\/dev\/vd([a-z])$/.exec(path);
    if (dev) return vmm.drives[dev[1]!.charCodeAt(0) - 97];
    return vmm.drives.find((d) => d.config.is_root_device) ?? vmm.drives[0];
  }

  /** Reads `bytes` from the backing file, and writes them back when `write`: real I/O that changes no data. */
  function blockIo(drive: NonNullable<ReturnType<typeof driveFor>>, bytes: number, blockSize: number, write: boolean): void {
    const fd = drive.fd;
    const size = fd === null ? 0 : fstatSync(fd).size;
    const buffer = Buffer.alloc(Math.min(blockSize, Math.max(size, 1)));
    let offset = 0;
    for (let done = 0; done < bytes; done += blockSize) {
      const n = Math.min(blockSize, bytes - done);
      if (fd !== null && size > 0) {
        if (offset >= size) offset = 0;
        const chunk = Math.min(n, buffer.length, size - offset);
        const got = readSync(fd, buffer, 0, chunk, offset);
        if (write) writeSync(fd, buffer, 0, got, offset);
        offset += got;
      }
      const id = drive.config.drive_id;
      bumpDeviceMetric('block', id, write ? 'write_bytes' : 'read_bytes', n);
      bumpDeviceMetric('block', id, write ? 'write_count' : 'read_count');
      bumpDeviceMetric('block', id, 'queue_event_count');
    }
  }

  function dd(args: string[], done: () => void): void {
    const opt = Object.fromEntries(args.map((a) => a.split('=', 2) as [string, string]));
    const input = opt.if ?? '/dev/stdin';
    const output = opt.of ?? '/dev/stdout';
    const blockSize = sizeOf(opt.bs ?? '512');
    const count = Number(opt.count ?? '1');
    if (!(blockSize > 0) || !Number.isInteger(count) || count < 0) {
      shell.say(`dd: invalid number '${opt.bs ?? opt.count}'`);
      return done();
    }
    const bytes = blockSize * count;
    const started = performance.now();
    const special = (p: string) => ['/dev/zero', '/dev/urandom', '/dev/null', '/dev/stdin', '/dev/stdout'].includes(p);
    if (!special(input)) {
      const drive = driveFor(input);
      if (!drive) return (shell.say(`dd: can't open '${input}': No such file or directory`), done());
      blockIo(drive, bytes, blockSize, false);
    }
    if (!special(output)) {
      const drive = driveFor(output);
      if (!drive) return (shell.say(`dd: can't open '${output}': No such file or directory`), done());
      if (drive.config.is_read_only) return (shell.say(`dd: can't open '${output}': Read-only file system`), done());
      blockIo(drive, bytes, blockSize, true);
    }
    const seconds = Math.max((performance.now() - started) / 1000, 0.000001);
    shell.say(`${count}+0 records in`);
    shell.say(`${count}+0 records out`);
    shell.say(`${bytes} bytes (${(bytes / 1e6).toFixed(1)}MB) copied, ${seconds.toFixed(6)} seconds, ${(bytes / 1e6 / seconds).toFixed(1)}MB/s`);
    done();
  }

  function ping(args: string[], job: Job, done: () => void): void {
    let count = Infinity;
    let payload = 56;
    let intervalS = 1;
    let target = '';
    for (let i = 0; i < args.length; i++) {
      if (args[i] === '-c') count = Number(args[++i]);
      else if (args[i] === '-s') payload = Number(args[++i]);
      else if (args[i] === '-i') intervalS = Number(args[++i]);
      else target = args[i]!;
    }
    if (!target || !(count > 0) || !(payload >= 0) || !(intervalS > 0)) {
      shell.say('Usage: ping [-c COUNT] [-s SIZE] [-i SECONDS] HOST');
      return done();
    }
    const nic = vmm.nets[0];
    if (!nic) {
      shell.say('ping: sendto: Network is unreachable');
      return done();
    }
    shell.say(`PING ${target} (${target}): ${payload} data bytes`);
    let sent = 0;
    const send = () => {
      if (job.stopped) return;
      bumpDeviceMetric('net', nic.config.iface_id, 'tx_bytes_count', ICMP_FRAME_OVERHEAD + payload);
      bumpDeviceMetric('net', nic.config.iface_id, 'tx_packets_count');
      bumpDeviceMetric('net', nic.config.iface_id, 'tx_count');
      bumpDeviceMetric('net', nic.config.iface_id, 'tx_queue_event_count');
      sent++;
      if (sent < count) {
        shell.later(intervalS * 1000, send);
        return;
      }
      shell.say('');
      shell.say(`--- ${target} ping statistics ---`);
      shell.say(`${sent} packets transmitted, 0 packets received, 100% packet loss`);
      done();
    };
    send();
  }

  return {
    /** Runs `words` if it is one of these commands; false when it is not. `done` prompts again. */
    run(words: string[], done: () => void): boolean {
      const background = words.at(-1) === '&';
      const argv = background ? words.slice(0, -1) : words;
      const [cmd, ...args] = argv;
      const command = argv.join(' ');
      switch (cmd) {
        case 'yes':
          if (!background || args.join('') !== '>/dev/null') {
            shell.say('sh: yes: this guest runs it only as `yes > /dev/null &`');
            done();
          } else {
            startJob(command, true, (job) => spin(job), done);
          }
          return true;
        case 'dd':
          startJob(command, background, (_job, end) => dd(args, end), done);
          return true;
        case 'ping':
          startJob(command, background, (job, end) => ping(args, job, end), done);
          return true;
        case 'jobs':
          for (const job of jobs) shell.say(`[${job.id}]+  Running                 ${job.command}`);
          done();
          return true;
        case 'kill': {
          for (const arg of args) {
            const job = jobs.find((j) => arg === `%${j.id}` || arg === String(j.pid));
            if (!job) {
              shell.say(`sh: kill: ${arg}: no such job`);
              continue;
            }
            job.stopped = true;
            jobs.splice(jobs.indexOf(job), 1);
            shell.say(`[${job.id}]+  Terminated              ${job.command}`);
          }
          done();
          return true;
        }
        default:
          return false;
      }
    },
  };
}

/** dd's sizes: 512, 4k, 1K, 1M, 1MiB… */
function sizeOf(text: string): number {
  const m = /^(\d+)([kKmMgG]?)(i?B)?$/.exec(text);
  if (!m) return NaN;
  const unit = { '': 1, k: 1024, K: 1024, m: 1024 ** 2, M: 1024 ** 2, g: 1024 ** 3, G: 1024 ** 3 }[m[2] as '' | 'k' | 'K' | 'm' | 'M' | 'g' | 'G'];
  return Number(m[1]) * unit;
}
