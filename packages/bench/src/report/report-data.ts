import { FLOOR_ID, NOTIFIED_ID } from '../implementations/registry.js';
import { medianRatio } from '../measure/statistics.js';
import type { BenchResults, Figures, HandoffCell, ImplementationInfo, Series } from '../results.js';

/** A figure read from raw results; JSON turns NaN into null. */
export function num(value: unknown): number {
  return typeof value === 'number' ? value : Number.NaN;
}

/** Lookups over one run's results. */
export class ReportData {
  constructor(readonly results: BenchResults) {}

  info(id: string): ImplementationInfo | undefined {
    return this.results.implementations.find((i) => i.id === id);
  }

  label(id: string): string {
    return this.info(id)?.label ?? id;
  }

  /** deadbolt entries that ran on one server, in registry order. */
  deadboltSingle(series: readonly Series[]): string[] {
    return series
      .map((s) => s.id)
      .filter((id) => this.info(id)?.kind === 'deadbolt' && id !== 'deadbolt-redlock');
  }

  /** The floor on the same client library as `id` (the ioredis floor when there is none). */
  sameClientFloor(id: string, series: readonly Series[]): Series | undefined {
    const client = this.info(id)?.client;
    const floor = series.find(
      (s) => this.info(s.id)?.kind === 'floor' && this.info(s.id)?.client === client,
    );
    return floor ?? series.find((s) => s.id === FLOOR_ID);
  }

  cell(mode: HandoffCell['mode'], workers: number): HandoffCell | undefined {
    return this.results.handoff.find((c) => c.mode === mode && c.workers === workers);
  }
}

export function find(series: readonly Series[] | undefined, id: string): Series | undefined {
  return series?.find((s) => s.id === id);
}

/** Median over rounds of `metric` of `a` divided by that of `b` in the same round. */
export function ratio(a: Series | undefined, b: Series | undefined, metric: string): number {
  if (a === undefined || b === undefined) return Number.NaN;
  const pick = (rounds: readonly Figures[]) => rounds.map((r) => num(r?.[metric]));
  return medianRatio(pick(a.rounds), pick(b.rounds));
}

export const floorOf = (series: readonly Series[] | undefined) => find(series, FLOOR_ID);
export const notifiedOf = (series: readonly Series[] | undefined) => find(series, NOTIFIED_ID);
