import { z } from 'zod';
import { channel } from '../channel.js';
import { vmIdSchema } from '../ids.js';

const hostId = z.string().uuid({ message: 'Unknown host id.' });

/** What is charted for one microVM, one value per sample; null where it could not be known yet. */
export const vmMetricFields = ['cpuPct', 'memBytes', 'diskReadBps', 'diskWriteBps', 'netRxBps', 'netTxBps'] as const;
export type VmMetricField = (typeof vmMetricFields)[number];

/** What is charted for a host: its own figures and its microVMs' share of them. */
export const hostMetricFields = ['load1', 'cpuPct', 'memUsedBytes', 'diskUsedBytes', 'vmCpuPct', 'vmMemBytes', 'vmDiskBytes'] as const;
export type HostMetricField = (typeof hostMetricFields)[number];

/**
 * One microVM's latest figures. `cpuPct` is of one core (two busy vCPUs read 200), as `top`
 * shows it; `memBytes` is the resident memory of its Firecracker process on the host.
 */
export type VmMetricPoint = { id: string; t: number } & Record<VmMetricField, number | null>;

export interface VmMetricsNow extends VmMetricPoint {
  hostId: string;
  /** vCPUs and memory the VM was given, for the charts' scales. */
  vcpus?: number;
  memoryMib?: number;
  /**
   * Errors Firecracker counted (`block.execute_fails`, `net.tx_fails`, `vcpu.failures`,
   * `*.rate_limiter_throttled_events`, …), summed since Firedeck began to follow this process.
   */
  errors: Record<string, number>;
  /** False once its process is gone (the history stays until the VM is deleted). */
  alive: boolean;
}

export type HostMetricPoint = { t: number } & Record<HostMetricField, number | null>;

export interface HostMetricsNow extends HostMetricPoint {
  hostId: string;
  load5: number | null;
  load15: number | null;
  cpus: number | null;
  memTotalBytes: number | null;
  diskTotalBytes: number | null;
  /** How Firedeck asks the host's Firecrackers for fresh figures: curl (one process for all), socat (one each), or not at all (Firecracker's own once-a-minute write). */
  flush: 'curl' | 'socat' | 'none';
}

/** One sample of a host: small enough to send every interval to every window. */
export interface MetricsSampledEvent {
  hostId: string;
  t: number;
  host: HostMetricPoint;
  /** Per VM: its point and how many errors Firecracker has counted in all. */
  vms: (VmMetricPoint & { errorCount: number })[];
}

/** Columns, as charts take them: `t` (ms since the epoch) and one array per field, aligned with it. */
export interface MetricsHistory<F extends string = string> {
  intervalMs: number;
  t: number[];
  series: Record<F, (number | null)[]>;
}

export interface MetricsCurrent {
  hostId: string;
  /** A window is watching and the host is connected: samples arrive every `intervalMs`. */
  sampling: boolean;
  intervalMs: number;
  host: HostMetricsNow | null;
  vms: VmMetricsNow[];
}

/** Boot timing of one microVM, kept in its config.json on the host. */
export interface BootTiming {
  /** From the Create request to Firecracker's answer to InstanceStart (or LoadSnapshot). */
  createToStartMs: number;
  /** From InstanceStart to the guest's first `login:` on the serial console; null if none came in time. */
  startToLoginMs: number | null;
  /** Restored from a snapshot (createToStartMs then ends at LoadSnapshot): not a boot. */
  restored?: true;
}

export interface BootTimesSummary {
  hostId: string;
  vms: ({ id: string } & BootTiming)[];
  /** Medians over the booted VMs (restored ones left out) that have the figure; null when none has. */
  median: { createToStartMs: number | null; startToLoginMs: number | null };
  /** The most recently created VM's timing. */
  last: ({ id: string } & BootTiming) | null;
}

export const metricsChannels = {
  /**
   * Starts sampling a host (or every connected host) for the calling window; sampling stops when
   * no window holds a subscription. A window's going away releases its subscriptions.
   */
  'metrics.subscribe': channel<{ subscriptionId: string; intervalMs: number }>()(z.object({ hostId: hostId.optional() }).strict()),
  'metrics.unsubscribe': channel<{ unsubscribed: boolean }>()(z.object({ subscriptionId: z.string().uuid() }).strict()),
  /** The kept history (at most the last hour) of one VM, or of the host when `vmId` is absent. */
  'metrics.history': channel<MetricsHistory>()(
    z.object({ hostId, vmId: vmIdSchema.optional(), sinceT: z.number().nonnegative().optional() }).strict(),
  ),
  'metrics.current': channel<MetricsCurrent>()(z.object({ hostId }).strict()),
  /** Boot timings of the host's microVMs, read from their configs on the host, with median and last. */
  'metrics.bootTimes': channel<BootTimesSummary>()(z.object({ hostId }).strict()),
};
