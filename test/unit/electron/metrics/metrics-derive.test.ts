import { describe, expect, it } from 'vitest';
import { advanceHost, advanceVm, cpuPercent, isErrorCounter, perSecond, sumLines } from '../../../../electron/metrics/metrics-derive';
import type { RawSample, RawVmSample } from '../../../../electron/metrics/sample-parse';

const line = (fields: Record<string, Record<string, number>>) => JSON.stringify({ utc_timestamp_ms: 1, ...fields });
const raw = (over: Partial<RawVmSample> = {}): RawVmSample => ({ id: 'vm', pid: 100, startTicks: 5000, cpuTicks: 0, rssPages: 256, ...over });

describe('CPU percent from clock ticks', () => {
  it('is ticks used over ticks elapsed, of one core', () => {
    // 150 ticks at 100 Hz over 3 s: 1.5 CPU-seconds in 3 s, half a core.
    expect(cpuPercent(1000, 1150, 100, 3)).toBeCloseTo(50);
    // Two busy vCPUs read 200 %.
    expect(cpuPercent(0, 600, 100, 3)).toBeCloseTo(200);
  });

  it('is unknown without an earlier reading, with no time between, or when the counter went back', () => {
    expect(cpuPercent(undefined, 10, 100, 3)).toBeNull();
    expect(cpuPercent(10, 20, 100, 0)).toBeNull();
    expect(cpuPercent(500, 10, 100, 3)).toBeNull();
  });
});

describe('rates from Firecracker’s counters', () => {
  it('sums the deltas of every line since the last read, over the time between samples', () => {
    const total = sumLines([
      line({ block: { read_bytes: 1000, write_bytes: 10 }, net: { rx_bytes_count: 300, tx_bytes_count: 30 } }),
      line({ block: { read_bytes: 2000, write_bytes: 20 }, net: { rx_bytes_count: 600, tx_bytes_count: 60 } }),
      'not json',
    ]);
    expect(total).toMatchObject({ diskReadBytes: 3000, diskWriteBytes: 30, netRxBytes: 900, netTxBytes: 90, lines: 2 });
    expect(perSecond(total.diskReadBytes, 3)).toBe(1000);
    expect(perSecond(null, 3)).toBeNull();
  });

  it('takes error counters from the device and VMM groups, not from API requests or per-device copies', () => {
    const total = sumLines([
      line({ block: { execute_fails: 2, rate_limiter_throttled_events: 5, read_bytes: 9 }, block_rootfs: { execute_fails: 2 }, put_api_requests: { actions_fails: 1 }, vcpu: { failures: 1 }, signals: { sigbus: 1 } }),
      line({ block: { execute_fails: 1 } }),
    ]);
    expect(Object.fromEntries(total.errors)).toEqual({ 'block.execute_fails': 3, 'block.rate_limiter_throttled_events': 5, 'vcpu.failures': 1, 'signals.sigbus': 1 });
    expect(isErrorCounter('net', 'tx_fails')).toBe(true);
    expect(isErrorCounter('net', 'tx_bytes_count')).toBe(false);
    expect(isErrorCounter('get_api_requests', 'machine_cfg_fails')).toBe(false);
  });
});

describe('one VM from sample to sample', () => {
  const now = (uptimeS: number) => ({ uptimeS, hz: 100, pageBytes: 4096, flushed: true });

  it('learns where the metrics file ends first, then reads rates from the lines after it', () => {
    const first = advanceVm(undefined, raw({ cpuTicks: 100, metrics: { kind: 'size', bytes: 800 } }), now(10));
    expect(first.point).toEqual({ cpuPct: null, memBytes: 1024 * 1024, diskReadBps: null, diskWriteBps: null, netRxBps: null, netTxBps: null });
    expect(first.track.offset).toBe(800);
    const lines = [line({ block: { read_bytes: 6000, write_bytes: 3000 }, net: { rx_bytes_count: 1500, tx_bytes_count: 300 } })];
    const second = advanceVm(first.track, raw({ cpuTicks: 250, metrics: { kind: 'lines', lines, bytes: 120, truncated: false } }), now(13));
    expect(second.point).toEqual({ cpuPct: 50, memBytes: 1024 * 1024, diskReadBps: 2000, diskWriteBps: 1000, netRxBps: 500, netTxBps: 100 });
    expect(second.track.offset).toBe(920);
    expect(second.cpuDeltaTicks).toBe(150);
  });

  it('starts over after a restart: a new pid or start time drops the CPU baseline, the offset and the errors', () => {
    const first = advanceVm(undefined, raw({ cpuTicks: 900, metrics: { kind: 'size', bytes: 50 } }), now(10));
    const errors = [line({ net: { tx_fails: 4 } })];
    const second = advanceVm(first.track, raw({ cpuTicks: 1000, metrics: { kind: 'lines', lines: errors, bytes: 60, truncated: false } }), now(13));
    expect(second.track.errorCount).toBe(4);
    // Same pid number, another process (its start time differs): counters began again at 0.
    const restarted = advanceVm(second.track, raw({ startTicks: 9999, cpuTicks: 20, metrics: { kind: 'lines', lines: errors, bytes: 60, truncated: false } }), now(16));
    expect(restarted.point.cpuPct).toBeNull();
    expect(restarted.point.netTxBps).toBeNull();
    expect(restarted.track.offset).toBeNull(); // re-learnt next time
    expect(restarted.track.errorCount).toBe(0);
    expect(restarted.cpuDeltaTicks).toBeNull();
  });

  it('re-learns the end of a file that stops growing although it is flushed', () => {
    let track = advanceVm(undefined, raw({ metrics: { kind: 'size', bytes: 50 } }), now(1)).track;
    for (let i = 0; i < 3; i++) track = advanceVm(track, raw({ metrics: { kind: 'lines', lines: [], bytes: 0, truncated: false } }), now(2 + i)).track;
    expect(track.offset).toBeNull();
  });

  it('has no disk or network figures without a metrics file, and keeps the offset past an emptied file', () => {
    const none = advanceVm(undefined, raw(), now(1));
    expect(none.track.offset).toBeNull();
    const first = advanceVm(undefined, raw({ metrics: { kind: 'size', bytes: 2_000_000 } }), now(1)).track;
    const trimmed = advanceVm(first, raw({ metrics: { kind: 'lines', lines: [line({})], bytes: 100, truncated: true } }), now(4));
    expect(trimmed.track.offset).toBe(2_000_100);
  });
});

describe('the host', () => {
  const sample = (over: Partial<RawSample>): RawSample => ({ flush: 'curl', uptimeS: 1, stat: null, load: [0.5, 0.4, 0.3], mem: { totalKb: 4000, availableKb: 1000 }, vms: [], ...over });

  it('derives CPU busy share, memory in use, and the VMs’ share of CPU and memory; disk carried between slow samples', () => {
    const first = advanceHost(undefined, sample({ stat: { busy: 1000, total: 10_000 }, disk: { totalKb: 100, usedKb: 40, availableKb: 60 }, vmDiskKb: 10 }), []);
    expect(first.point).toMatchObject({ load1: 0.5, cpuPct: null, memUsedBytes: 3000 * 1024, diskUsedBytes: 40 * 1024, vmDiskBytes: 10 * 1024 });
    const second = advanceHost(first.track, sample({ stat: { busy: 1400, total: 11_000 } }), [
      { cpuDeltaTicks: 100, memBytes: 500 * 1024 },
      { cpuDeltaTicks: 100, memBytes: 250 * 1024 },
    ]);
    expect(second.point).toMatchObject({ cpuPct: 40, vmCpuPct: 20, vmMemBytes: 750 * 1024, diskUsedBytes: 40 * 1024, vmDiskBytes: 10 * 1024 });
  });
});
