import { describe, expect, it } from 'vitest';
import { commandDelta, parseCommandStats, totalCommands } from './command-stats.js';

const before = `# Commandstats\r
cmdstat_info:calls=2,usec=110,usec_per_call=55.00,rejected_calls=0,failed_calls=0\r
cmdstat_evalsha:calls=10,usec=65,usec_per_call=6.50,rejected_calls=0,failed_calls=0\r
cmdstat_get:calls=10,usec=14,usec_per_call=1.40,rejected_calls=0,failed_calls=0\r
`;
const after = `# Commandstats
cmdstat_info:calls=3,usec=160,usec_per_call=53.00,rejected_calls=0,failed_calls=0
cmdstat_evalsha:calls=14,usec=90,usec_per_call=6.40,rejected_calls=0,failed_calls=0
cmdstat_get:calls=14,usec=19,usec_per_call=1.35,rejected_calls=0,failed_calls=0
cmdstat_spublish:calls=2,usec=9,usec_per_call=4.50,rejected_calls=0,failed_calls=0
`;

describe('command stats', () => {
  it('parses calls per command', () => {
    expect(parseCommandStats(before)).toEqual(
      new Map([
        ['info', 2],
        ['evalsha', 10],
        ['get', 10],
      ]),
    );
  });

  it('counts what ran in between, without INFO itself', () => {
    const delta = commandDelta(parseCommandStats(before), parseCommandStats(after));
    expect(delta).toEqual(
      new Map([
        ['evalsha', 4],
        ['get', 4],
        ['spublish', 2],
      ]),
    );
    expect(totalCommands(delta)).toBe(10);
  });
});
