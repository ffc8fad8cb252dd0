// DOM helpers for the dashboard. Every value may come from a log line (attacker-controlled):
// it is only ever set as textContent of elements created here, never parsed as markup.

/** The element carrying data-testid `id`; the page defines them all. */
export function byTestId(id: string): HTMLElement {
  const el = document.querySelector<HTMLElement>(`[data-testid="${id}"]`);
  if (el === null) throw new Error(`the page has no [data-testid="${id}"]`);
  return el;
}

export function setText(id: string, text: string): void {
  const el = byTestId(id);
  if (el.textContent !== text) el.textContent = text;
}

export interface Cell {
  text: string;
  className?: string;
  /** Shown on hover: the full value of a cell cut by the layout. */
  title?: boolean;
}

/** Replaces the rows of the table with data-testid `id`; `empty` is shown when there are none. */
export function setRows(id: string, rows: Cell[][], columns: number, empty: string): void {
  const body = byTestId(id).querySelector('tbody');
  if (body === null) return;
  const trs = rows.map((cells) => {
    const tr = document.createElement('tr');
    for (const cell of cells) {
      const td = document.createElement('td');
      td.textContent = cell.text;
      if (cell.className !== undefined) td.className = cell.className;
      if (cell.title === true) td.title = cell.text;
      tr.append(td);
    }
    return tr;
  });
  if (trs.length === 0) {
    const tr = document.createElement('tr');
    const td = document.createElement('td');
    td.colSpan = columns;
    td.className = 'empty';
    td.textContent = empty;
    tr.append(td);
    trs.push(tr);
  }
  body.replaceChildren(...trs);
}

const integer = new Intl.NumberFormat('en-US', { maximumFractionDigits: 0 });

export function formatCount(n: number): string {
  return integer.format(n);
}

export function formatRate(n: number): string {
  return n >= 100 ? integer.format(n) : n.toFixed(1);
}

export function formatPercent(share: number): string {
  return `${(share * 100).toFixed(share > 0 && share < 0.1 ? 2 : 1)} %`;
}

export function formatSpan(seconds: number): string {
  return seconds % 60 === 0 ? `last ${seconds / 60} min` : `last ${seconds} s`;
}

/** HH:MM:SS (UTC) of an ISO time, or the text itself when it is not one. */
export function formatTime(iso: string): string {
  const ms = Date.parse(iso);
  return Number.isNaN(ms) ? iso : new Date(ms).toISOString().slice(11, 19);
}
