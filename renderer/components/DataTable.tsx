import type { ReactNode } from 'react';

export interface Column<R> {
  /** Header text; also the column's accessible name when `header` is empty (actions). */
  header: string;
  /** Hide the header text but keep it as the column's name (e.g. "Actions"). */
  hideHeader?: boolean;
  cell(row: R): ReactNode;
  className?: string;
}

/**
 * The list tables of the app (hosts, microVMs, images): one markup, rows named for screen
 * readers and tests, and a row that says why the table is empty.
 */
export function DataTable<R>(props: {
  label: string;
  columns: readonly Column<R>[];
  rows: readonly R[];
  rowKey(row: R): string;
  /** The row's accessible name (its id or label). */
  rowLabel(row: R): string;
  empty?: ReactNode;
}) {
  return (
    <table className="table" aria-label={props.label}>
      <thead>
        <tr>
          {props.columns.map((column) => (
            <th key={column.header} aria-label={column.hideHeader ? column.header : undefined}>
              {column.hideHeader ? null : column.header}
            </th>
          ))}
        </tr>
      </thead>
      <tbody>
        {props.rows.map((row) => (
          <tr key={props.rowKey(row)} aria-label={props.rowLabel(row)}>
            {props.columns.map((column) => (
              <td key={column.header} className={column.className}>
                {column.cell(row)}
              </td>
            ))}
          </tr>
        ))}
        {props.rows.length === 0 && props.empty && (
          <tr>
            <td colSpan={props.columns.length} className="muted">
              {props.empty}
            </td>
          </tr>
        )}
      </tbody>
    </table>
  );
}
