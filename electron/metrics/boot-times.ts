import type { BootTiming, BootTimesSummary } from '../../shared/channels/metrics.js';

function median(values: number[]): number | null {
  if (values.length === 0) return null;
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

/** The `bootTiming` a config.json holds, if it holds a well-formed one. */
export function bootTimingOf(config: unknown): BootTiming | null {
  const timing = (config as { bootTiming?: unknown } | null)?.bootTiming as Partial<BootTiming> | undefined;
  if (!timing || typeof timing.createToStartMs !== 'number' || !Number.isFinite(timing.createToStartMs)) return null;
  const login = timing.startToLoginMs;
  return {
    createToStartMs: timing.createToStartMs,
    startToLoginMs: typeof login === 'number' && Number.isFinite(login) ? login : null,
    ...(timing.restored === true ? { restored: true as const } : {}),
  };
}

/** Reads metrics-boot-times.sh's records into the host's summary: each VM's timing, the medians, the newest VM's. */
export function summariseBootTimes(hostId: string, output: string): BootTimesSummary {
  const vms: ({ id: string; createdAt: string } & BootTiming)[] = [];
  let id: string | undefined;
  for (const line of output.split('\n')) {
    if (line.startsWith('@vm ')) {
      id = line.slice(4).trim();
      continue;
    }
    if (!id || !line.startsWith('config ')) continue;
    let config: unknown;
    try {
      config = JSON.parse(line.slice(7));
    } catch {
      continue;
    }
    const timing = bootTimingOf(config);
    if (timing) vms.push({ id, createdAt: String((config as { createdAt?: unknown }).createdAt ?? ''), ...timing });
    id = undefined;
  }
  const newest = [...vms].sort((a, b) => a.createdAt.localeCompare(b.createdAt)).at(-1);
  // A restore takes a fraction of a boot and sees no login: counted in, it would pull the medians down.
  const booted = vms.filter((vm) => !vm.restored);
  const strip = ({ createdAt: _c, ...rest }: (typeof vms)[number]) => rest;
  return {
    hostId,
    vms: vms.map(strip),
    median: {
      createToStartMs: median(booted.map((vm) => vm.createToStartMs)),
      startToLoginMs: median(booted.flatMap((vm) => (vm.startToLoginMs === null ? [] : [vm.startToLoginMs]))),
    },
    last: newest ? strip(newest) : null,
  };
}
