import type { FirecrackerClient } from '../firecracker/client.js';
import type { HostConnection } from '../ssh/host-connection.js';
import { runHostScript } from '../ssh/host-script.js';
import type { Step } from '../steps/step-runner.js';
import { bootLoginWatch, metricsPrepare } from './metrics-scripts.js';

/**
 * What the metrics and boot-timing steps read and fill of a VM start's context. The VM start
 * context (electron/vms/vm-start-steps.ts) has all of it but `bootTiming`, which it should
 * declare: `bootTiming?: BootTimingMark`.
 */
export interface MetricsStepContext {
  connection: HostConnection;
  paths: { dir: string };
  /** Filled by `fc.connect`. */
  client?: FirecrackerClient;
  /** Filled by `bootTiming.begin`. */
  bootTiming?: BootTimingMark;
}

export interface BootTimingMark {
  /** performance.now() when the start began. */
  beganAt: number;
  /** How long one command's round trip to the host took (filled by `fc.putMetrics`). */
  roundTripMs?: number;
}

/** The metrics file's path inside a run directory (what the sampler reads). */
export const metricsPath = (dir: string): string => `${dir}/metrics`;

/** How long the guest gets to print its first login prompt before the boot is recorded without one. */
export const LOGIN_WAIT_S = 300;

/**
 * Points Firecracker at the run directory's metrics file, before boot (PUT /metrics is refused
 * after InstanceStart, and a snapshot does not carry it, so restores need it too). Goes after
 * `fc.connect` in both the boot and the restore lists.
 */
export const putMetrics: Step<MetricsStepContext> = {
  name: 'fc.putMetrics',
  async run(ctx) {
    const sent = performance.now();
    await runHostScript(ctx.connection, metricsPrepare, [ctx.paths.dir], { timeoutMs: 30_000 });
    // The boot timing's estimate of how late the login watch starts after InstanceStart.
    if (ctx.bootTiming) ctx.bootTiming.roundTripMs = performance.now() - sent;
    await ctx.client!.putMetrics({ metrics_path: metricsPath(ctx.paths.dir) });
  },
};

/** Notes when the start began; goes first in the boot and restore lists. */
export const beginBootTiming: Step<MetricsStepContext> = {
  name: 'bootTiming.begin',
  async run(ctx) {
    ctx.bootTiming = { beganAt: performance.now() };
  },
};

const sinceBegin = (ctx: MetricsStepContext) => Math.round(performance.now() - (ctx.bootTiming?.beganAt ?? performance.now()));

/**
 * Records Create → InstanceStart and starts the host-side watch for the guest's first `login:`
 * (it writes both into config.json when the prompt comes, or after LOGIN_WAIT_S). Goes right
 * after `fc.instanceStart`; it returns as soon as the watch is started.
 */
export const recordBootTiming: Step<MetricsStepContext> = {
  name: 'bootTiming.record',
  async run(ctx) {
    const createToStart = sinceBegin(ctx);
    // The watch starts on the host half a round trip after InstanceStart was answered here.
    const lag = Math.round((ctx.bootTiming?.roundTripMs ?? 0) / 2);
    await runHostScript(ctx.connection, bootLoginWatch, [ctx.paths.dir, createToStart, LOGIN_WAIT_S, lag], { timeoutMs: 30_000 });
    return `started in ${createToStart} ms`;
  },
};

/**
 * The restore variant: Create → LoadSnapshot, no login to wait for (the guest does not boot), and
 * marked as a restore. Goes right after `fc.loadSnapshot`. The clone's config.json is its own
 * (`host.prepareRunDir` does not carry the source's record over), so this is what it holds.
 */
export const recordRestoreTiming: Step<MetricsStepContext> = {
  name: 'bootTiming.recordRestore',
  async run(ctx) {
    const createToStart = sinceBegin(ctx);
    await runHostScript(ctx.connection, bootLoginWatch, [ctx.paths.dir, createToStart, 0, 0, 'restore'], { timeoutMs: 30_000 });
    return `restored in ${createToStart} ms`;
  },
};
