import type { ReactNode } from 'react';

/** A chart with its title and current value(s) above it. */
export function MetricTile({ title, value, children }: { title: string; value: ReactNode; children: ReactNode }) {
  return (
    <section className="metric-tile" aria-label={title}>
      <header>
        <h3>{title}</h3>
        <span className="metric-value">{value}</span>
      </header>
      {children}
    </section>
  );
}
