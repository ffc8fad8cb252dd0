// The "requests by status class" chart: uPlot, one line per class, x in unix seconds.
// Built on the first data and resized with its container; later polls only set data.

import uPlot from 'uplot';
import { STATUS_CLASSES, type DashboardSnapshot } from '../../src/dashboard/snapshot.js';

const COLORS: Record<string, string> = {
  '1xx': '#9aa3ad',
  '2xx': '#2e9e5b',
  '3xx': '#3b7dd8',
  '4xx': '#e08a1e',
  '5xx': '#d33a3a',
  other: '#8a5cc2',
};

export class StatusChart {
  private plot: uPlot | undefined;
  private step = 1;

  constructor(private readonly container: HTMLElement) {
    new ResizeObserver(() => this.plot?.setSize(this.size())).observe(container);
  }

  update(series: DashboardSnapshot['series']): void {
    const data: uPlot.AlignedData = [
      series.t,
      ...STATUS_CLASSES.map((c) => series.byClass[c].map((n) => n / series.stepSeconds)),
    ];
    if (this.plot === undefined || this.step !== series.stepSeconds) {
      this.plot?.destroy();
      this.step = series.stepSeconds;
      this.plot = new uPlot(this.options(), data, this.container);
    } else {
      this.plot.setData(data);
    }
  }

  private size(): { width: number; height: number } {
    return { width: Math.max(this.container.clientWidth, 300), height: 240 };
  }

  private options(): uPlot.Options {
    return {
      ...this.size(),
      scales: { x: { time: true }, y: { range: (_u, _min, max) => [0, Math.max(max, 1)] } },
      legend: { live: false },
      axes: [
        { space: 80, values: (_u, splits) => utcLabels(splits) },
        { label: 'requests / s', size: 60 },
      ],
      series: [
        {},
        ...STATUS_CLASSES.map((c) => ({
          label: c,
          stroke: COLORS[c],
          width: 1.5,
          points: { show: false },
          value: (_u: uPlot, v: number | null) => (v === null ? '–' : v.toFixed(1)),
        })),
      ],
    };
  }
}

/** Tick labels in UTC, like the rest of the page: HH:MM on whole minutes, else HH:MM:SS. */
function utcLabels(splits: number[]): string[] {
  return splits.map((s) => new Date(s * 1000).toISOString().slice(11, s % 60 === 0 ? 16 : 19));
}
