import { posix } from 'node:path';
import { shellCommand, shq } from '../ssh/shell-quote.js';

/** Where one VM lives on its host (DESIGN §3): everything the app needs to rediscover it. */
export interface VmPaths {
  dir: string;
  socket: string;
  log: string;
  /** Firecracker's own log, kept out of the console log so the console shows only the guest. */
  fcLog: string;
  fifo: string;
  pid: string;
  config: string;
  bridgePort: string;
  bridgePid: string;
  stopped: string;
  snapshotDir: string;
}

/** Unix socket paths are limited to 108 bytes including the terminating NUL. */
export const MAX_SOCKET_PATH = 107;

export function vmPaths(firedeckDir: string, id: string): VmPaths {
  const dir = posix.join(firedeckDir, 'vms', id);
  return {
    dir,
    socket: `${dir}/api.sock`,
    log: `${dir}/console.log`,
    fcLog: `${dir}/firecracker.log`,
    fifo: `${dir}/console.in`,
    pid: `${dir}/firecracker.pid`,
    config: `${dir}/config.json`,
    bridgePort: `${dir}/bridge.port`,
    bridgePid: `${dir}/bridge.pid`,
    stopped: `${dir}/stopped`,
    snapshotDir: `${dir}/snapshot`,
  };
}

/** Creates the run directory; exit 17 when a VM of that id already exists. */
export function prepareScript(p: VmPaths, config: unknown): string {
  return [
    `if [ -e ${shq(p.dir)} ]; then exit 17; fi`,
    'set -e',
    `mkdir -p -- ${shq(p.dir)}`,
    `mkfifo -m 600 -- ${shq(p.fifo)}`,
    `: > ${shq(p.log)}`,
    `: > ${shq(p.fcLog)}`,
    `printf '%s' ${shq(JSON.stringify(config))} > ${shq(p.config)}`,
  ].join('\n');
}

/**
 * Starts Firecracker detached from the SSH session (setsid: it survives the app quitting),
 * stdout and stderr appended to the console log, stdin read from the FIFO. The FIFO is opened
 * read-write (`0<>`) so the open does not block waiting for a writer and never sees EOF.
 * Exit 3: the process died before its socket appeared (the log follows); exit 4: timeout.
 */
export function startScript(p: VmPaths, binary: string, id: string): string {
  return [
    `cd -- ${shq(p.dir)}`,
    `rm -f -- ${shq(p.socket)} ${shq(p.stopped)}`,
    `${shellCommand('setsid', binary, '--api-sock', p.socket, '--id', id, '--log-path', p.fcLog)} 0<>${shq(p.fifo)} >>${shq(p.log)} 2>&1 &`,
    `echo $! > ${shq(p.pid)}`,
    'i=0',
    `while [ ! -S ${shq(p.socket)} ] && [ $i -lt 100 ]; do`,
    `  if ! kill -0 "$(cat ${shq(p.pid)})" 2>/dev/null; then tail -n 20 ${shq(p.log)} ${shq(p.fcLog)}; exit 3; fi`,
    '  sleep 0.05; i=$((i+1))',
    'done',
    `[ -S ${shq(p.socket)} ] || exit 4`,
  ].join('\n');
}

/** socat bound to the host's loopback only, forwarding to the API socket (ssh-tcp transport). */
export function bridgeScript(p: VmPaths, port: number, bind: '127.0.0.1' | '0.0.0.0'): string {
  return [
    `setsid socat TCP-LISTEN:${port},bind=${bind},fork,reuseaddr UNIX-CONNECT:${shq(p.socket)} >/dev/null 2>&1 &`,
    `echo $! > ${shq(p.bridgePid)}`,
    'sleep 0.2',
    `kill -0 "$(cat ${shq(p.bridgePid)})" 2>/dev/null || exit 5`,
    `echo ${port} > ${shq(p.bridgePort)}`,
  ].join('\n');
}

/** SIGKILLs the VM's Firecracker and its bridge, if running. */
function killScript(p: VmPaths): string {
  return [
    `for f in ${shq(p.pid)} ${shq(p.bridgePid)}; do`,
    '  [ -f "$f" ] && kill -9 "$(cat "$f")" 2>/dev/null',
    'done',
    `rm -f -- ${shq(p.bridgePid)} ${shq(p.bridgePort)}`,
    'true',
  ].join('\n');
}

/** Waits up to `seconds` for the VM's process to exit; exit 1 if it is still alive. */
export function waitExitScript(p: VmPaths, seconds: number): string {
  return [
    `pid=$(cat ${shq(p.pid)} 2>/dev/null) || exit 0`,
    'i=0',
    `while kill -0 "$pid" 2>/dev/null && [ $i -lt ${Math.round(seconds * 10)} ]; do sleep 0.1; i=$((i+1)); done`,
    'kill -0 "$pid" 2>/dev/null && exit 1',
    'exit 0',
  ].join('\n');
}

export function markStoppedScript(p: VmPaths): string {
  return `${killScript(p)}\n: > ${shq(p.stopped)}`;
}

export function deleteScript(p: VmPaths): string {
  return `${killScript(p)}\nrm -rf -- ${shq(p.dir)}`;
}

/**
 * One round trip that lists every VM of the host: id, whether its recorded process is still
 * the Firecracker of that run directory (its cwd is the directory, so a reused pid is not), its
 * config (one JSON line), and for a dead one the end of its console log (base64, so nothing in
 * a log can break the framing). Only shell builtins run per live VM: with 50 VMs a fork each
 * would cost more than the whole refresh may take.
 */
export function discoveryScript(firedeckDir: string): string {
  const vms = shq(`${firedeckDir}/vms`);
  return [
    `for d in ${vms}/*/; do`,
    '  [ -d "$d" ] || continue',
    '  d=${d%/}',
    '  echo "@vm ${d##*/}"',
    '  pid=; read -r pid < "$d/firecracker.pid" 2>/dev/null',
    '  if [ -n "$pid" ] && kill -0 "$pid" 2>/dev/null && [ "/proc/$pid/cwd" -ef "$d" ]; then',
    '    echo "alive yes"',
    '  else',
    '    echo "alive no"',
    '    echo "log $(tail -n 15 "$d/console.log" 2>/dev/null | base64 | tr -d "\\n")"',
    '  fi',
    '  [ -e "$d/stopped" ] && echo "stopped yes"',
    '  config=; read -r config < "$d/config.json" 2>/dev/null; echo "config $config"',
    '  port=; read -r port < "$d/bridge.port" 2>/dev/null; echo "bridge $port"',
    'done',
  ].join('\n');
}

export interface DiscoveredVm {
  id: string;
  alive: boolean;
  stopped: boolean;
  config?: unknown;
  startedAt?: string;
  lastLog?: string[];
  bridgePort?: number;
}

export function parseDiscovery(output: string): DiscoveredVm[] {
  const vms: DiscoveredVm[] = [];
  let current: DiscoveredVm | undefined;
  for (const line of output.split('\n')) {
    const [key, ...rest] = line.split(' ');
    const value = rest.join(' ').trim();
    if (key === '@vm') {
      current = { id: value, alive: false, stopped: false };
      vms.push(current);
      continue;
    }
    if (!current) continue;
    if (key === 'alive') current.alive = value === 'yes';
    if (key === 'stopped') current.stopped = true;
    if (key === 'config' && value) {
      try {
        current.config = JSON.parse(value);
        const createdAt = (current.config as { createdAt?: unknown }).createdAt;
        if (typeof createdAt === 'string') current.startedAt = createdAt;
      } catch {
        // a damaged config.json: the VM is still listed, with what can be known
      }
    }
    if (key === 'log' && value) current.lastLog = Buffer.from(value, 'base64').toString('utf8').split('\n').filter((l) => l !== '');
    if (key === 'bridge' && /^\d+$/.test(value)) current.bridgePort = Number(value);
  }
  return vms;
}
