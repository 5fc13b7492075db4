import bootLoginWatchSource from '../host-scripts/boot-login-watch.sh';
import metricsBootTimesSource from '../host-scripts/metrics-boot-times.sh';
import metricsPrepareSource from '../host-scripts/metrics-prepare.sh';
import metricsSampleSource from '../host-scripts/metrics-sample.sh';
import metricsTrimSource from '../host-scripts/metrics-trim.sh';
import { hostScript } from '../ssh/host-script.js';

/** FIREDECK_DIR OFFSETS SLOW LIMIT HZ — one sample of the host and all its running microVMs. */
export const metricsSample = hostScript({ name: 'metrics-sample', source: metricsSampleSource, what: 'Reading the host’s metrics' });

/** FIREDECK_DIR LIMIT — empties metrics files longer than LIMIT while nobody watches. */
export const metricsTrim = hostScript({ name: 'metrics-trim', source: metricsTrimSource, what: 'Trimming the microVMs’ metrics files' });

/** DIR — the empty metrics file Firecracker is pointed at before boot. */
export const metricsPrepare = hostScript({
  name: 'metrics-prepare',
  source: metricsPrepareSource,
  what: 'Creating the microVM’s metrics file',
  failures: { 3: { code: 'NOT_FOUND', message: 'The microVM’s run directory is gone.' } },
});

/** FIREDECK_DIR — every microVM's config line, for boot timings. */
export const metricsBootTimes = hostScript({ name: 'metrics-boot-times', source: metricsBootTimesSource, what: 'Reading the microVMs’ boot timings' });

/** DIR CREATE_TO_START_MS TIMEOUT_S — records the boot timing in config.json (in the background). */
export const bootLoginWatch = hostScript({
  name: 'boot-login-watch',
  source: bootLoginWatchSource,
  what: 'Timing the guest’s boot',
  failures: { 3: { code: 'NOT_FOUND', message: 'The microVM’s run directory has no config.json.' } },
});
