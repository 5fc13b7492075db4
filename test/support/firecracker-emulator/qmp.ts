/** A small client of QEMU's machine protocol (QMP): JSON lines over a Unix socket. */
import { connect } from 'node:net';
import type { Socket } from 'node:net';

export class QmpError extends Error {}

interface Pending {
  resolve: (value: unknown) => void;
  reject: (err: Error) => void;
}

export class Qmp {
  private buf = '';
  private nextId = 1;
  private readonly pending = new Map<number, Pending>();
  private closedError: Error | null = null;

  private constructor(private readonly sock: Socket) {
    sock.setEncoding('utf8');
    sock.on('data', (d: string) => this.onData(d));
    sock.on('error', () => {});
    sock.on('close', () => this.failAll(new QmpError('QMP connection closed')));
  }

  /** Connects to QEMU's QMP socket, retrying while QEMU creates it (bounded), and negotiates. */
  static async connect(path: string, timeoutMs: number, gaveUp: () => string | null): Promise<Qmp> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const sock = await new Promise<Socket | null>((resolve) => {
        const s = connect(path);
        s.once('connect', () => resolve(s));
        s.once('error', () => resolve(null));
      });
      if (sock) {
        const qmp = new Qmp(sock);
        await qmp.greeting();
        await qmp.command('qmp_capabilities');
        return qmp;
      }
      const reason = gaveUp();
      if (reason) throw new QmpError(reason);
      if (Date.now() > deadline) throw new QmpError(`QEMU did not open its QMP socket within ${timeoutMs} ms`);
      await new Promise((r) => setTimeout(r, 20));
    }
  }

  private greetingWaiter: ((err?: Error) => void) | null = null;

  private greeting(): Promise<void> {
    return new Promise((resolve, reject) => {
      this.greetingWaiter = (err) => (err ? reject(err) : resolve());
    });
  }

  private onData(d: string): void {
    this.buf += d;
    for (let nl = this.buf.indexOf('\n'); nl >= 0; nl = this.buf.indexOf('\n')) {
      const line = this.buf.slice(0, nl).trim();
      this.buf = this.buf.slice(nl + 1);
      if (!line) continue;
      let msg: { QMP?: unknown; id?: number; return?: unknown; error?: { desc?: string }; event?: string };
      try {
        msg = JSON.parse(line) as typeof msg;
      } catch {
        continue;
      }
      if (msg.QMP !== undefined) {
        this.greetingWaiter?.();
        this.greetingWaiter = null;
        continue;
      }
      if (msg.event !== undefined || msg.id === undefined) continue;
      const p = this.pending.get(msg.id);
      if (!p) continue;
      this.pending.delete(msg.id);
      if (msg.error) p.reject(new QmpError(msg.error.desc ?? 'QMP error'));
      else p.resolve(msg.return);
    }
  }

  private failAll(err: Error): void {
    this.closedError = err;
    this.greetingWaiter?.(err);
    this.greetingWaiter = null;
    for (const p of this.pending.values()) p.reject(err);
    this.pending.clear();
  }

  command<T = unknown>(execute: string, args?: Record<string, unknown>): Promise<T> {
    if (this.closedError) return Promise.reject(this.closedError);
    const id = this.nextId++;
    return new Promise<T>((resolve, reject) => {
      this.pending.set(id, { resolve: resolve as (v: unknown) => void, reject });
      this.sock.write(`${JSON.stringify(args ? { execute, arguments: args, id } : { execute, id })}\n`);
    });
  }

  close(): void {
    this.sock.destroy();
  }
}
