import { describe, expect, it } from 'vitest';
import { seededRandom } from '../seeded-random.js';
import { planFaults } from './fault-schedule.js';

const lane = {
  kinds: ['node-sigkill', 'node-sigstop', 'node-restart'] as const,
  gapMs: [300, 900] as [number, number],
  pauseMs: [200, 1_500] as [number, number],
  downMs: 1_600,
};

describe('planFaults', () => {
  it('is fixed by the seed', () => {
    expect(planFaults(seededRandom(7), lane, 0, 20_000)).toEqual(
      planFaults(seededRandom(7), lane, 0, 20_000),
    );
    expect(planFaults(seededRandom(7), lane, 0, 20_000)).not.toEqual(
      planFaults(seededRandom(8), lane, 0, 20_000),
    );
  });

  it('injects every kind at least once, within the window, at the planned gaps', () => {
    const plan = planFaults(seededRandom(1), lane, 800, 10_000);
    expect(new Set(plan.slice(0, 3).map((f) => f.kind))).toEqual(new Set(lane.kinds));
    expect(plan[0]!.at).toBe(800);
    for (const [i, fault] of plan.entries()) {
      expect(fault.at).toBeLessThan(10_000);
      if (i > 0) expect(fault.at - plan[i - 1]!.at).toBeGreaterThanOrEqual(300);
    }
  });

  it('keeps killed nodes down past the delay and pauses within their bounds', () => {
    for (const fault of planFaults(seededRandom(3), lane, 0, 30_000)) {
      if (fault.kind === 'node-sigstop') {
        expect(fault.holdMs).toBeGreaterThanOrEqual(200);
        expect(fault.holdMs).toBeLessThanOrEqual(1_500);
      } else {
        expect(fault.holdMs).toBe(1_600);
      }
    }
  });
});
