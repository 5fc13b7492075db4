/** `--config-file`: configure everything in Firecracker's order, then boot. */
import { readFileSync } from 'node:fs';
import { API_PREFIX, CONFIG_FILE_PREFIX, Fault } from './faults';
import type { JsonValue } from './json-text';
import { exitWithError } from './process-exit';
import { ioText, rustDebugStr } from './rust-text';
import type { VmmConfigFile } from './schemas';
import { configFileSchema } from './schemas';
import { fromSlice, SerdeError } from './serde';
import type { Vmm } from './vmm';
import { startMicrovm } from './vmm-actions';
import * as config from './vmm-config';

export async function bootFromConfigFile(vmm: Vmm, text: string, metadata: JsonValue | null, withApi: boolean): Promise<void> {
  const runError = withApi ? 'RunWithApiError error: ' : 'RunWithoutApiError error: ';
  const failPrefix = `${runError}Failed to build MicroVM from Json: `;
  const fail = (inner: string) => exitWithError(`${failPrefix}Configuration for VMM from one single json failed: ${inner}`, `BuildFromJson(${rustDebugStr(inner)})`, 1);
  let cfg: VmmConfigFile;
  try {
    cfg = fromSlice<VmmConfigFile>(Buffer.from(text), configFileSchema(vmm.schemas));
  } catch (e) {
    if (e instanceof SerdeError) return fail(`Invalid JSON: ${e.toString()}`);
    throw e;
  }
  const steps: (() => void)[] = [
    () => cfg.logger && config.setLogger(cfg.logger),
    () => cfg.metrics && config.setMetrics(cfg.metrics.metrics_path),
    () => cfg['machine-config'] && config.updateMachineConfig(vmm, { ...cfg['machine-config'] }),
    () => {
      const cpuConfig = cfg['cpu-config'];
      if (cpuConfig === null) return;
      try {
        readFileSync(cpuConfig);
      } catch (e) {
        const f = new Fault(ioText(e));
        f.kind = 'CpuConfig';
        f.inner = ioText(e);
        throw f;
      }
    },
    () => config.setBootSource(vmm, cfg['boot-source']),
    () => cfg.drives.forEach((d) => config.insertDrive(vmm, d)),
    () => cfg['network-interfaces'].forEach((n) => config.insertNet(vmm, n)),
    () => cfg.vsock && config.setVsock(vmm, cfg.vsock),
    () => cfg.balloon && config.setBalloon(vmm, cfg.balloon),
    () => metadata !== null && config.putMmdsData(vmm, metadata),
    () => cfg['mmds-config'] && config.setMmdsConfig(vmm, cfg['mmds-config']),
    () => {
      if (cfg.entropy) vmm.entropy = { rate_limiter: cfg.entropy.rate_limiter };
    },
  ];
  for (const step of steps) {
    try {
      step();
    } catch (e) {
      if (!(e instanceof Fault)) throw e;
      fail(e.kind ? (CONFIG_FILE_PREFIX[e.kind] ?? API_PREFIX[e.kind]) + e.inner : e.message);
      return;
    }
  }
  try {
    await startMicrovm(vmm);
  } catch (e) {
    if (!(e instanceof Fault)) throw e;
    exitWithError(`${runError}Failed to build MicroVM: ${e.message}`, `BuildMicroVM(${rustDebugStr(e.message)})`, 1);
  }
}
