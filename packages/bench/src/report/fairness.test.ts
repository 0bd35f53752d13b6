import { describe, expect, it } from 'vitest';
import { DEADBOLT_FAIR_ID, DEADBOLT_ID } from '../implementations/registry.js';
import type { Figures, HandoffCell, Series } from '../results.js';
import { fairnessFindings, fairnessRows, measured } from './fairness.js';

/** A series whose every round has the same figures as the pooled ones. */
function series(id: string, pooled: Figures, rounds = 1): Series {
  return { id, pooled, rounds: Array.from({ length: rounds }, () => pooled), errors: [] };
}

const waits = (p50: number, p99: number, max: number, handoffShare: number, phaseMs = 800) => ({
  waitP50: p50,
  waitP99: p99,
  waitMax: max,
  handoffShare,
  phaseMs,
});

describe('fairness section', () => {
  const cells: HandoffCell[] = [
    {
      mode: 'strict',
      workers: 8,
      series: [
        series(DEADBOLT_ID, waits(6, 9, 10, 1)),
        series(DEADBOLT_FAIR_ID, waits(6, 8, 11, 1)),
      ],
    },
    {
      mode: 'strict',
      workers: 2,
      series: [series(DEADBOLT_ID, waits(2, 3, 3, 1)), series(DEADBOLT_FAIR_ID, waits(2, 3, 4, 1))],
    },
    {
      mode: 'free',
      workers: 8,
      series: [
        series('floor', waits(1, 2, 3, 1)),
        series(DEADBOLT_ID, waits(0.2, 600, 700, 0.02)),
        series(DEADBOLT_FAIR_ID, waits(12, 15, 20, 1)),
      ],
    },
  ];

  it('puts free-for-all first, then strict by W, and takes p99 ratios round by round', () => {
    const rows = fairnessRows(cells);
    expect(rows.map((r) => `${r.mode} ${r.workers}`)).toEqual(['free 8', 'strict 2', 'strict 8']);
    expect(rows[0]!.p99Ratio).toBe(40);
    expect(rows[0]!.barging).toEqual({
      p50: 0.2,
      p99: 600,
      max: 700,
      handoffShare: 0.02,
      phaseMs: 800,
    });
    expect(rows[2]!.p99Ratio).toBeCloseTo(9 / 8);
    expect(rows.every(measured)).toBe(true);
  });

  it('says from the figures how far barging goes', () => {
    const [free, strict] = fairnessFindings(fairnessRows(cells));
    expect(free).toContain('Free-for-all, W = 8');
    expect(free).toContain('40.00× fair mode');
    expect(free).toContain('barging makes the longest waits 40.00× as long');
    expect(free).toContain('took the lock back in 98% of acquisitions, against 0% in fair mode');
    expect(free).toContain('the typical wait is shorter than in fair mode');
    // 700 ms of an 800 ms phase: the phase cut it short.
    expect(free).toContain('(700 ms) is 0.88× its cell');
    expect(free).toContain('at least half of a phase');
    const [whole] = fairnessFindings(
      fairnessRows([
        {
          mode: 'free',
          workers: 8,
          series: [
            series(DEADBOLT_ID, waits(0.2, 900, 900, 0.02, 800)),
            series(DEADBOLT_FAIR_ID, waits(12, 15, 20, 1, 800)),
          ],
        },
      ]),
    );
    expect(whole).toContain('longer than a whole phase');
    expect(strict).toContain('1.00× at W = 2, 1.13× at W = 8');
    expect(strict).toContain('the two modes wait alike');
  });

  it('names a strict tail that barging lengthens, and one where fair is longer', () => {
    const strict = (w: number, def: number, fair: number): HandoffCell => ({
      mode: 'strict',
      workers: w,
      series: [
        series(DEADBOLT_ID, waits(1, def, def, 1)),
        series(DEADBOLT_FAIR_ID, waits(1, fair, fair, 1)),
      ],
    });
    const [line] = fairnessFindings(fairnessRows([strict(2, 3, 3), strict(32, 90, 30)]));
    expect(line).toContain("default mode's tail is longer at W = 32");
    const [other] = fairnessFindings(fairnessRows([strict(8, 10, 20)]));
    expect(other).toContain("fair mode's tail is longer at W = 8");
  });

  it('says "not measured" for results without wait figures or without both modes', () => {
    const old: HandoffCell = {
      mode: 'free',
      workers: 8,
      series: [
        series(DEADBOLT_ID, { gapP50: 0.6, handoffShare: 0.02 }),
        series(DEADBOLT_FAIR_ID, { gapP50: 0.6, handoffShare: 1 }),
      ],
    };
    const rows = fairnessRows([old]);
    expect(rows).toHaveLength(1);
    expect(rows[0]!.barging?.p99).toBeNaN();
    expect(rows[0]!.p99Ratio).toBeNaN();
    expect(fairnessFindings(rows)).toEqual([
      'Not measured: these results have no wait figures (recorded before waits were measured).',
    ]);
    // JSON turns NaN into null.
    const nulls = series(DEADBOLT_ID, { waitP99: null as unknown as number });
    expect(fairnessRows([{ ...old, series: [nulls, old.series[1]!] }])[0]!.barging?.p99).toBeNaN();

    const fairMissing: HandoffCell = { ...old, series: [old.series[0]!] };
    expect(fairnessRows([fairMissing])[0]!.fair).toBeUndefined();
    expect(fairnessFindings(fairnessRows([fairMissing]))[0]).toContain('did not both run');
    expect(fairnessFindings(fairnessRows([{ ...old, series: [] }]))[0]).toContain('did not run');
  });
});
