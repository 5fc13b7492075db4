/**
 * The script guest: no kernel runs. It prints a boot log and plays a tiny root shell on the
 * serial console (the process's stdin/stdout), so API tests get a console that answers in
 * milliseconds. Boot sources that are plain kernel headers get this guest.
 */
import { ftruncateSync, writeSync } from 'node:fs';
import { DEFAULT_BOOT_ARGS, GUEST_HOSTNAME, GUEST_KERNEL, MEMORY_FILE_MARK } from './constants';
import { vmmError } from './faults';
import type { Guest, SavedGuest } from './guest';
import { createGuestLoad } from './guest-load';
import { log, W } from './logger';
import { bumpMetric } from './metrics';
import { exitCleanly, isExiting } from './process-exit';
import { ioText } from './rust-text';
import type { Vmm } from './vmm';

/** The kernel command line the guest sees: the configured one plus the root device Firecracker appends. */
export function guestCmdline(vmm: Vmm): string {
  const root = vmm.drives.find((d) => d.config.is_root_device);
  let cmdline = vmm.bootSource?.config.boot_args ?? DEFAULT_BOOT_ARGS;
  if (root) cmdline += root.config.partuuid ? ` root=PARTUUID=${root.config.partuuid}` : ` root=/dev/vda ${root.config.is_read_only ? 'ro' : 'rw'}`;
  return cmdline;
}

/** Which console the kernel command line enables (Firecracker's default command line disables the UART). */
function consoleEnabled(cmdline: string): boolean {
  return /(^|\s)console=ttyS0(\s|,|$)/.test(cmdline) && !/(^|\s)8250\.nr_uarts=0(\s|$)/.test(cmdline);
}

function panicSeconds(cmdline: string): number {
  const m = /(^|\s)panic=(-?\d+)(\s|$)/.exec(cmdline);
  return m ? Number(m[2]) : 0;
}

function unquote(s: string): string {
  return s.replace(/^'(.*)'$/s, '$1').replace(/^"(.*)"$/s, '$1');
}

export interface ScriptGuest extends Guest {
  /** After a snapshot load the guest continues where it was, paused until resumed. */
  restore(saved: SavedGuest): void;
}

export function createScriptGuest(vmm: Vmm): ScriptGuest {
  const g = {
    console: false,
    cmdline: '',
    hasRoot: true,
    halted: false,
    alive: false,
    paused: false,
    uptimeBase: 0,
    startedAt: 0,
    line: '',
    lastCR: false,
    ready: false,
    pending: '',
    stdinHooked: false,
    timers: [] as NodeJS.Timeout[],
  };

  const uptime = () => g.uptimeBase + (g.paused || !g.alive ? 0 : (Date.now() - g.startedAt) / 1000);
  const stamp = (offset = 0) => `[${(uptime() + offset).toFixed(6).padStart(12)}]`;
  const out = (s: string) => {
    if (g.console && !isExiting()) process.stdout.write(s);
  };
  const prompt = () => out('# ');
  const load = createGuestLoad(vmm, {
    say: (s) => out(`${s}\r\n`),
    running: () => g.alive && !g.paused && !g.halted,
    later: (ms, fn) => void later(ms, fn),
  });

  /** A timer of guest time: it does not run while the guest is paused. */
  function later(ms: number, fn: () => void): NodeJS.Timeout {
    const t = setTimeout(() => {
      g.timers = g.timers.filter((x) => x !== t);
      if (!g.paused && !isExiting()) fn();
      else if (g.paused) g.timers.push(later(ms, fn));
    }, ms);
    g.timers.push(t);
    return t;
  }

  function printBootLog(): void {
    const arm = vmm.arch === 'aarch64';
    const m = vmm.machine;
    const lines = [
      `${stamp(-0.01)} Linux version ${GUEST_KERNEL} (builder@firedeck) (gcc (GCC) 12.2.0) #1 SMP PREEMPT_DYNAMIC`,
      arm ? `${stamp(-0.01)} Machine model: linux,dummy-virt` : `${stamp(-0.01)} Command line: ${g.cmdline}`,
      arm ? `${stamp(-0.01)} Kernel command line: ${g.cmdline}` : `${stamp(-0.01)} BIOS-provided physical RAM map:`,
      `${stamp(-0.009)} Memory: ${m.mem_size_mib * 1024 - 24576}K/${m.mem_size_mib * 1024}K available`,
      `${stamp(-0.008)} smp: Brought up 1 node, ${m.vcpu_count} CPU${m.vcpu_count > 1 ? 's' : ''}`,
      arm ? `${stamp(-0.006)} printk: console [ttyS0] enabled` : `${stamp(-0.006)} serial8250: ttyS0 at I/O 0x3f8 (irq = 4, base_baud = 115200) is a U6_16550A`,
    ];
    vmm.drives.forEach((_d, i) => {
      lines.push(`${stamp(-0.004)} virtio_blk virtio${i}: [vd${String.fromCharCode(97 + i)}] 2097152 512-byte logical blocks (1.07 GB/1.00 GiB)`);
    });
    if (!g.hasRoot) {
      lines.push(`${stamp(-0.002)} VFS: Cannot open root device "" or unknown-block(0,0): error -6`);
      lines.push(`${stamp(-0.001)} Kernel panic - not syncing: VFS: Unable to mount root fs on unknown-block(0,0)`);
      out(`${lines.join('\r\n')}\r\n`);
      panic();
      return;
    }
    lines.push(`${stamp(-0.002)} EXT4-fs (vda): mounted filesystem with ordered data mode. Quota mode: none.`);
    lines.push(`${stamp(-0.001)} Run /sbin/init as init process`);
    lines.push('');
    lines.push(`Welcome to Firedeck guest (emulated, ${vmm.arch})`);
    lines.push('');
    lines.push(`${GUEST_HOSTNAME} login: root (automatic login)`);
    lines.push('');
    out(`${lines.join('\r\n')}\r\n`);
    prompt();
    // Typed-ahead input reaches the shell once it is up.
    g.ready = true;
    if (g.pending) {
      const text = g.pending;
      g.pending = '';
      input(text);
    }
    if (vmm.bootTimer) {
      const us = Math.round(uptime() * 1e6) + 120000;
      const cpu = Math.round(us * 0.6);
      log('Info', 'fc_vcpu 0', W.bootTimer, `Guest-boot-time = ${String(us).padStart(6)} us ${Math.floor(us / 1000)} ms, ${String(cpu).padStart(6)} CPU us ${Math.floor(cpu / 1000)} CPU ms`);
    }
  }

  /** A kernel panic: with `panic=N` (N > 0) the guest reboots after N seconds, so Firecracker exits 0. */
  function panic(): void {
    g.halted = true;
    const secs = panicSeconds(g.cmdline);
    if (secs > 0) {
      out(`${stamp()} Rebooting in ${secs} seconds..\r\n`);
      later(secs * 1000, exitCleanly);
    }
  }

  function shutdown(kind: 'poweroff' | 'reboot'): void {
    if (!g.alive || g.halted) return;
    g.halted = true;
    const lines = [
      '',
      'The system is going down NOW!',
      'Sent SIGTERM to all processes',
      'Sent SIGKILL to all processes',
      `Requesting system ${kind === 'poweroff' ? 'poweroff' : 'reboot'}`,
      `${stamp()} ${kind === 'poweroff' ? 'reboot: Power down' : 'reboot: Restarting system'}`,
    ];
    out(`${lines.join('\r\n')}\r\n`);
    later(50, exitCleanly);
  }

  function hookStdin(): void {
    if (g.stdinHooked) return;
    g.stdinHooked = true;
    try {
      if (process.stdin.isTTY) process.stdin.setRawMode(true);
    } catch {
      // not a terminal
    }
    process.stdin.on('data', (d: Buffer) => input(d.toString('utf8')));
    process.stdin.on('end', () => {}); // EOF on stdin is not the guest's business
    process.stdin.on('error', () => {});
  }

  function input(text: string): void {
    if (!g.alive || g.halted || isExiting()) return;
    if (!g.ready) {
      g.pending += text;
      return;
    }
    bumpMetric('uart', 'read_count', text.length);
    for (const ch of text) {
      if (ch === '\r' || ch === '\n') {
        if (ch === '\n' && g.lastCR) {
          g.lastCR = false;
          continue;
        }
        g.lastCR = ch === '\r';
        out('\r\n');
        const line = g.line;
        g.line = '';
        runCommand(line);
        if (g.halted) return;
        continue;
      }
      g.lastCR = false;
      if (ch === '\x7f' || ch === '\b') {
        if (g.line) {
          g.line = g.line.slice(0, -1);
          out('\b \b');
        }
      } else if (ch === '\x03') {
        g.line = '';
        out('^C\r\n');
        prompt();
      } else if (ch === '\x04') {
        if (!g.line) {
          out('\r\n');
          runCommand('exit');
        }
      } else {
        g.line += ch;
        out(ch);
      }
    }
  }

  function runCommand(line: string): void {
    const words = line.trim().split(/\s+/).filter(Boolean);
    const say = (s: string) => out(`${s}\r\n`);
    const [cmd, ...args] = words;
    if (cmd === undefined) {
      prompt();
      return;
    }
    if (load.run(words, prompt)) return;
    switch (cmd) {
      case 'echo':
        say(args.map(unquote).join(' '));
        break;
      case 'uname': {
        const arch = vmm.arch;
        const all = `Linux ${GUEST_HOSTNAME} ${GUEST_KERNEL} #1 SMP PREEMPT_DYNAMIC ${arch} GNU/Linux`;
        const map: Record<string, string> = { '-m': arch, '-r': GUEST_KERNEL, '-n': GUEST_HOSTNAME, '-s': 'Linux', '-a': all, '-p': arch };
        say(args.length ? args.map((a) => map[a] ?? `uname: invalid option -- '${a.replace(/^-/, '')}'`).join(' ') : 'Linux');
        break;
      }
      case 'hostname':
        say(GUEST_HOSTNAME);
        break;
      case 'whoami':
        say('root');
        break;
      case 'id':
        say('uid=0(root) gid=0(root) groups=0(root)');
        break;
      case 'pwd':
        say('/root');
        break;
      case 'nproc':
        say(String(vmm.machine.vcpu_count));
        break;
      case 'cat':
        if (args[0] === '/proc/cmdline') say(g.cmdline);
        else if (args[0] === '/etc/hostname') say(GUEST_HOSTNAME);
        else say(`cat: can't open '${args[0] ?? ''}': No such file or directory`);
        break;
      case 'true':
      case 'false':
      case ':':
        break;
      case 'reboot':
      case 'poweroff':
      case 'halt':
        shutdown(cmd === 'reboot' ? 'reboot' : 'poweroff');
        return;
      case 'exit':
      case 'logout':
        out(`\r\n${GUEST_HOSTNAME} login: root (automatic login)\r\n\r\n`);
        break;
      default:
        say(`sh: ${cmd}: not found`);
    }
    prompt();
  }

  return {
    async boot() {
      g.cmdline = guestCmdline(vmm);
      g.console = consoleEnabled(g.cmdline);
      g.hasRoot = vmm.drives.some((d) => d.config.is_root_device) || vmm.bootSource?.config.initrd_path !== null;
      g.alive = true;
      g.paused = false;
      g.uptimeBase = 0;
      g.startedAt = Date.now();
      g.ready = false;
      hookStdin();
      later(15, printBootLog);
    },
    async pause() {
      if (!g.alive) return;
      g.uptimeBase = uptime();
      g.paused = true;
      if (g.stdinHooked) process.stdin.pause();
    },
    async resume() {
      if (!g.alive) return;
      g.startedAt = Date.now();
      g.paused = false;
      if (g.stdinHooked) process.stdin.resume();
    },
    ctrlAltDel() {
      // The AT keyboard driver turns Ctrl+Alt+Del into a reboot, which makes Firecracker exit.
      if (!g.alive || g.halted) return;
      bumpMetric('i8042', 'reset_count');
      shutdown('reboot');
    },
    snapshotState() {
      return { kind: 'script', console: g.console, cmdline: g.cmdline, uptime: uptime(), hasRoot: g.hasRoot, halted: g.halted, ready: g.ready };
    },
    async saveMemory(_memPath, memFd) {
      try {
        // Guest memory is a sparse file of the configured size with a marker at its start.
        ftruncateSync(memFd, vmm.machine.mem_size_mib * 1024 * 1024);
        writeSync(memFd, MEMORY_FILE_MARK, 0);
      } catch (e) {
        throw vmmError('CreateSnapshot', `Cannot perform set_len on the memory backing file: ${ioText(e)}`);
      }
    },
    restore(saved) {
      g.console = Boolean(saved.console);
      g.cmdline = String(saved.cmdline);
      g.hasRoot = Boolean(saved.hasRoot);
      g.halted = Boolean(saved.halted);
      g.ready = Boolean(saved.ready);
      g.alive = true;
      g.uptimeBase = Number(saved.uptime);
      g.paused = true;
      hookStdin();
      process.stdin.pause();
    },
  };
}
