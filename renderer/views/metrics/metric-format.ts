/** How metric values read in charts, legends and tables. */

const UNITS = ['B', 'KiB', 'MiB', 'GiB', 'TiB'];

export function formatBytes(value: number | null | undefined): string {
  if (value === null || value === undefined || !Number.isFinite(value)) return '–';
  let v = value;
  let unit = 0;
  while (Math.abs(v) >= 1024 && unit < UNITS.length - 1) {
    v /= 1024;
    unit++;
  }
  return `${unit === 0 ? Math.round(v) : v.toFixed(v >= 100 ? 0 : 1)} ${UNITS[unit]}`;
}

export const formatRate = (value: number | null | undefined): string => (value === null || value === undefined ? '–' : `${formatBytes(value)}/s`);

export function formatPercent(value: number | null | undefined): string {
  if (value === null || value === undefined || !Number.isFinite(value)) return '–';
  return `${value >= 10 ? Math.round(value) : value.toFixed(1)} %`;
}

export function formatMs(value: number | null | undefined): string {
  if (value === null || value === undefined) return '–';
  return value >= 10_000 ? `${(value / 1000).toFixed(1)} s` : value >= 1000 ? `${(value / 1000).toFixed(2)} s` : `${Math.round(value)} ms`;
}

export const formatLoad = (value: number | null | undefined): string => (value === null || value === undefined ? '–' : value.toFixed(2));

/**
 * InstanceStart → login prompt. The host-side watch looks at the console every 0.1 s from the
 * moment InstanceStart was answered over SSH, so a prompt already there at its first look reads
 * as "under 0.1 s", not as a precise 0 ms.
 */
export function formatLoginMs(value: number | null | undefined): string {
  if (value !== null && value !== undefined && value < 100) return 'under 0.1 s';
  return formatMs(value);
}
