import { AppError } from '../app-error.js';
import type { ClientChannel, SshClient } from '../ssh/ssh2.js';

export interface GuestRunResult {
  stdout: string;
  stderr: string;
  exitCode: number | null;
}

/** Runs a short command in the guest and collects what it prints (for Firedeck's own use, not the user's). */
export function guestRun(client: SshClient, command: string, options: { timeoutMs?: number; signal?: AbortSignal; stdin?: Buffer } = {}): Promise<GuestRunResult> {
  return new Promise((resolve, reject) => {
    client.exec(command, (error, channel: ClientChannel) => {
      if (error) return reject(new AppError('GUEST_SSH_DOWN', `The guest refused to run a command: ${error.message}.`, { remedy: 'Try again; if it keeps failing, reconnect the VM page.', cause: error }));
      let stdout = '';
      let stderr = '';
      let exitCode: number | null = null;
      const timer = setTimeout(() => stop(new AppError('COMMAND_TIMEOUT', 'A command in the guest did not finish in time.', { remedy: 'Check the guest’s load and try again.' })), options.timeoutMs ?? 60_000);
      const onAbort = () => stop(new AppError('CANCELLED', 'Cancelled.'));
      options.signal?.addEventListener('abort', onAbort, { once: true });
      let settled = false;
      function stop(reason: AppError) {
        if (settled) return;
        settled = true;
        clearTimeout(timer);
        channel.close();
        reject(reason);
      }
      channel.on('data', (chunk: Buffer) => (stdout += chunk.toString('utf8')));
      channel.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString('utf8')));
      channel.on('exit', (code: number | null) => (exitCode = typeof code === 'number' ? code : null));
      channel.on('error', () => {});
      // What the command reads (e.g. NUL-separated paths): data, never part of the command line.
      if (options.stdin) channel.end(options.stdin);
      channel.once('close', () => {
        clearTimeout(timer);
        options.signal?.removeEventListener('abort', onAbort);
        if (settled) return;
        settled = true;
        resolve({ stdout, stderr, exitCode });
      });
    });
  });
}

/** The TCP ports a guest listens on, from `ss -ltnH` (or /proc/net/tcp{,6} where ss is missing). */
export function parseListeningPorts(text: string): { port: number; address: string }[] {
  const found = new Map<string, { port: number; address: string }>();
  for (const line of text.split('\n')) {
    const fields = line.trim().split(/\s+/);
    // ss: State Recv-Q Send-Q Local:Port Peer:Port
    const local = fields[0] === 'LISTEN' ? fields[3] : undefined;
    const match = local?.match(/^(.*):(\d+)$/);
    if (match) {
      const address = match[1]!.replace(/^\[|\]$/g, '').replace(/%.*$/, '');
      const port = Number(match[2]);
      found.set(`${address}:${port}`, { port, address });
    }
  }
  return [...found.values()].sort((a, b) => a.port - b.port || a.address.localeCompare(b.address));
}
