import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { RoundClock, type RoundState, runRound } from './quorum-round.js';

function deferred<T>() {
  let resolve!: (value: T) => void;
  let reject!: (error: unknown) => void;
  const promise = new Promise<T>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  return { promise, resolve, reject };
}

const countOk = (state: RoundState<string>) =>
  state.results.filter((r) => r?.status === 'ok').length;

describe('runRound', () => {
  beforeEach(() => {
    vi.useFakeTimers();
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  it('decides as soon as decide() can, and keeps tracking the slow nodes', async () => {
    const replies = [deferred<string>(), deferred<string>(), deferred<string>()];
    const heard: number[] = [];
    const round = runRound(
      new RoundClock(),
      (node) => replies[node]!.promise,
      [100, 100, 100],
      (state) => (countOk(state) >= 2 ? 'won' : undefined),
      (node) => {
        heard.push(node);
      },
    );
    replies[0]!.resolve('a');
    replies[2]!.resolve('c');
    expect(await round.decision).toBe('won');
    expect(round.results[1]).toBeUndefined();
    replies[1]!.reject(new Error('late failure'));
    const state = await round.settled;
    expect(state.results[1]).toMatchObject({ status: 'error' });
    expect(heard).toEqual([0, 2, 1]);
  });

  it('counts a node that send() does not ask as skipped at once, without waiting for it', async () => {
    const asked: number[] = [];
    const heard: string[] = [];
    const round = runRound(
      new RoundClock(),
      (node) => {
        if (node === 1) return undefined;
        asked.push(node);
        return Promise.resolve('a');
      },
      [100, 100, 100],
      (state) => (state.pending === 0 ? 'done' : undefined),
      (node, result) => {
        heard.push(`${node}:${result.status}`);
      },
    );
    // Decided within the round's own replies: no timer had to fire for the skipped node.
    expect(await round.decision).toBe('done');
    expect(asked).toEqual([0, 2]);
    expect(round.results.map((r) => r?.status)).toEqual(['ok', 'skipped', 'ok']);
    expect(heard).toEqual(['1:skipped', '0:ok', '2:ok']);
  });

  it('marks nodes that did not answer in time as timeouts, each by its own limit', async () => {
    const never = new Promise<string>(() => {});
    const round = runRound(
      new RoundClock(),
      (node) => (node === 0 ? Promise.resolve('a') : never),
      [100, 100, 750],
      (state) => (state.pending === 0 ? 'done' : undefined),
    );
    await vi.advanceTimersByTimeAsync(101);
    expect(round.results.map((r) => r?.status)).toEqual(['ok', 'timeout', undefined]);
    await vi.advanceTimersByTimeAsync(700);
    expect(await round.decision).toBe('done');
    expect(round.results.map((r) => r?.status)).toEqual(['ok', 'timeout', 'timeout']);
  });

  it('lets the observer hear an answer that comes after the timeout', async () => {
    const reply = deferred<string>();
    const heard: string[] = [];
    const round = runRound(
      new RoundClock(),
      () => reply.promise,
      [100],
      (state) => (state.pending === 0 ? state.results[0]?.status : undefined),
      (node, result) => {
        heard.push(`${node}:${result.status}`);
      },
    );
    await vi.advanceTimersByTimeAsync(101);
    expect(await round.decision).toBe('timeout');
    reply.resolve('late');
    await vi.runAllTimersAsync();
    expect(heard).toEqual(['0:timeout', '0:ok']);
    expect(round.results[0]).toEqual({ status: 'timeout' });
  });

  it('reads replies that arrived while the process was blocked before timing anyone out', async () => {
    const reply = deferred<string>();
    const round = runRound(
      new RoundClock(),
      () => reply.promise,
      [100],
      (state) => (state.pending === 0 ? state.results[0]?.status : undefined),
    );
    // The timer is due, but the reply is already there: it wins over the timeout.
    vi.advanceTimersToNextTimer(); // runs the timer callback, not yet its setImmediate
    reply.resolve('late but in time');
    await vi.runAllTimersAsync();
    expect(await round.decision).toBe('ok');
  });

  it('treats a send that throws as that node failing', async () => {
    const round = runRound(
      new RoundClock(),
      (node) => {
        if (node === 1) throw new Error('boom');
        return Promise.resolve('a');
      },
      [100, 100],
      (state) => (state.pending === 0 ? state.results.map((r) => r?.status) : undefined),
    );
    expect(await round.decision).toEqual(['ok', 'error']);
  });
});
