import { spawn } from 'node:child_process';
import type { ExecOptions, ExecResult, HostConnection } from '../../../electron/ssh/host-connection';

/**
 * A HostConnection whose `exec` runs the script under this machine's dash, for unit tests of
 * what samples a host: every script that would cross SSH runs here, and is counted.
 */
export function localConnection(name = 'local'): HostConnection & { scripts: string[] } {
  const scripts: string[] = [];
  return {
    name,
    state: { state: 'connected', since: new Date(0).toISOString() },
    scripts,
    connect: async () => {},
    disconnect: () => {},
    onState: () => () => {},
    lastSeenAt: undefined,
    withClient: () => Promise.reject(new Error('no client in a local connection')),
    openStream: () => Promise.reject(new Error('no streams in a local connection')),
    usage: () => ({}) as ReturnType<HostConnection['usage']>,
    exec(script: string, options: ExecOptions = {}): Promise<ExecResult> {
      scripts.push(script);
      return new Promise((resolve, reject) => {
        const child = spawn('/usr/bin/dash', ['-c', script], { env: { ...process.env, LC_ALL: 'C' } });
        let output = '';
        let stderr = '';
        const timer = options.timeoutMs ? setTimeout(() => child.kill('SIGKILL'), options.timeoutMs) : undefined;
        child.stdout.on('data', (d: Buffer) => (output += d.toString()));
        child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
        child.on('error', reject);
        child.on('close', (code) => {
          clearTimeout(timer);
          resolve({ output, stderr, exitCode: code ?? 255 });
        });
      });
    },
  };
}
