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
