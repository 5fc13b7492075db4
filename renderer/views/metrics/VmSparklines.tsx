import '../../styles/metrics.css';
import { useAppStore } from '../../store/context';
import { metricsKey } from '../../store/metrics-slice';
import { formatBytes, formatPercent } from './metric-format';
import { Sparkline } from './Sparkline';

const EMPTY: (number | null)[] = [];
/** Narrow enough that the list, with its actions, fits a 1280-pixel window without scrolling sideways. */
const SPARK_WIDTH = 60;

/**
 * CPU and memory of one microVM over the last minutes, for its row in the MicroVMs list. The
 * list mounts `useMetricsSubscription()` once (all hosts) for these to fill.
 */
export function VmSparklines({ hostId, vmId, vcpus = 1 }: { hostId: string; vmId: string; vcpus?: number }) {
  const spark = useAppStore((s) => s.metrics.sparks[metricsKey(hostId, vmId)]);
  const last = useAppStore((s) => s.metrics.vms[metricsKey(hostId, vmId)]);
  return (
    <span className="vm-sparklines">
      <span className="spark-cell">
        <Sparkline label={`CPU ${formatPercent(last?.cpuPct)}`} values={spark?.cpuPct ?? EMPTY} minTop={100 * vcpus} color="var(--accent)" width={SPARK_WIDTH} />
        <span className="spark-value">{formatPercent(last?.cpuPct)}</span>
      </span>
      <span className="spark-cell">
        <Sparkline label={`Memory ${formatBytes(last?.memBytes)}`} values={spark?.memBytes ?? EMPTY} color="var(--ok)" width={SPARK_WIDTH} />
        <span className="spark-value">{formatBytes(last?.memBytes)}</span>
      </span>
    </span>
  );
}
