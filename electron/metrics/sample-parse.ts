/** What metrics-sample.sh printed for one microVM. */
export interface RawVmSample {
  id: string;
  pid: number;
  /** Process start, in clock ticks since boot: with the pid, tells a restarted process apart. */
  startTicks: number;
  /** utime + stime, in clock ticks. */
  cpuTicks: number;
  /** Resident memory, in pages (see RawSample.pageBytes). */
  rssPages: number | null;
  /** The metrics file: its size when the app had no offset, or what followed the offset. */
  metrics?: { kind: 'size'; bytes: number } | { kind: 'lines'; lines: string[]; bytes: number; truncated: boolean };
}

export interface RawSample {
  flush: 'curl' | 'socat' | 'none';
  uptimeS: number;
  /** Clock ticks per second and page size, when the script was asked for them. */
  clock?: { hz: number; pageBytes: number };
  stat: { busy: number; total: number } | null;
  load: [number, number, number] | null;
  mem: { totalKb: number; availableKb: number } | null;
  disk?: { totalKb: number; usedKb: number; availableKb: number };
  vmDiskKb?: number;
  vms: RawVmSample[];
}

const num = (text: string | undefined): number | null => {
  if (text === undefined || text === '') return null;
  const value = Number(text);
  return Number.isFinite(value) ? value : null;
};

/**
 * Reads metrics-sample.sh's records. The metrics file's text is taken as it is between `lines`
 * and the `@end` the script prints after a newline of its own: only complete lines (ending in a
 * newline) count as read, so a line Firecracker was still writing is read again next time.
 * `bytes` is what the app's offset advances by (NULs of a sparse, emptied file included).
 */
export function parseSample(output: string): RawSample {
  const sample: RawSample = { flush: 'none', uptimeS: 0, stat: null, load: null, mem: null, vms: [] };
  let current: RawVmSample | undefined;
  // The id of the `@vm` record being read, until its `proc` line names the process.
  let pendingId: string | undefined;
  let at = 0;
  while (at < output.length) {
    const end = output.indexOf('\n', at);
    const line = end === -1 ? output.slice(at) : output.slice(at, end);
    at = end === -1 ? output.length : end + 1;
    const space = line.indexOf(' ');
    const key = space === -1 ? line : line.slice(0, space);
    const fields = space === -1 ? [] : line.slice(space + 1).split(' ');
    switch (key) {
      case 'flush':
        if (fields[0] === 'curl' || fields[0] === 'socat') sample.flush = fields[0];
        break;
      case 'uptime':
        sample.uptimeS = num(fields[0]) ?? 0;
        break;
      case 'clock': {
        const hz = num(fields[0]);
        const pageBytes = num(fields[1]);
        if (hz && hz > 0 && pageBytes && pageBytes > 0) sample.clock = { hz, pageBytes };
        break;
      }
      case 'stat': {
        const busy = num(fields[0]);
        const total = num(fields[1]);
        if (busy !== null && total !== null) sample.stat = { busy, total };
        break;
      }
      case 'load': {
        const [a, b, c] = fields.map(num);
        if (a != null && b != null && c != null) sample.load = [a, b, c];
        break;
      }
      case 'mem': {
        const totalKb = num(fields[0]);
        const availableKb = num(fields[1]);
        if (totalKb !== null && availableKb !== null) sample.mem = { totalKb, availableKb };
        break;
      }
      case 'disk': {
        const [totalKb, usedKb, availableKb] = fields.map(num);
        if (totalKb != null && usedKb != null && availableKb != null) sample.disk = { totalKb, usedKb, availableKb };
        break;
      }
      case 'vmdisk': {
        const kb = num(fields[0]);
        if (kb !== null) sample.vmDiskKb = kb;
        break;
      }
      case '@vm':
        current = undefined;
        pendingId = /^[A-Za-z0-9-]{1,64}$/.test(fields[0] ?? '') ? fields[0] : undefined;
        break;
      case 'proc': {
        const id = pendingId;
        const [pid, start, utime, stime, rss] = fields.map(num);
        pendingId = undefined;
        if (id && pid != null && start != null && utime != null && stime != null) {
          current = { id, pid, startTicks: start, cpuTicks: utime + stime, rssPages: rss ?? null };
          sample.vms.push(current);
        }
        break;
      }
      case 'size': {
        const bytes = num(fields[0]);
        if (current && bytes !== null) current.metrics = { kind: 'size', bytes };
        break;
      }
      case 'lines': {
        const close = output.indexOf('\n@end\n', at);
        const stop = close === -1 ? output.length : close;
        const text = output.slice(at, stop);
        at = close === -1 ? output.length : close + '\n@end\n'.length;
        const complete = text.slice(0, text.lastIndexOf('\n') + 1);
        if (current) {
          current.metrics = {
            kind: 'lines',
            lines: complete.split('\n').map((l) => l.replaceAll('\0', '')).filter((l) => l.startsWith('{')),
            bytes: Buffer.byteLength(complete),
            truncated: false,
          };
        }
        break;
      }
      case 'trunc':
        if (current?.metrics?.kind === 'lines') current.metrics.truncated = true;
        break;
    }
  }
  return sample;
}
