import { describe, expect, it, vi } from 'vitest';
import { CloseSignal, onStop } from './stop-signal.js';

describe('CloseSignal', () => {
  it('calls each watcher once, with the reason readable, and stays aborted', () => {
    const signal = new CloseSignal();
    const seen: unknown[] = [];
    onStop(signal, () => seen.push(signal.reason));
    onStop(signal, () => seen.push('second'));
    expect(signal.aborted).toBe(false);
    signal.abort('closed');
    signal.abort('again');
    expect(seen).toEqual(['closed', 'second']);
    expect(signal.aborted).toBe(true);
    expect(signal.reason).toBe('closed');
  });

  it('a removed watch is not called', () => {
    const signal = new CloseSignal();
    const listener = vi.fn();
    onStop(signal, listener).remove();
    signal.abort('closed');
    expect(listener).not.toHaveBeenCalled();
  });

  it('a watch added after the abort is never called (callers check `aborted` first)', () => {
    const signal = new CloseSignal();
    signal.abort('closed');
    const listener = vi.fn();
    onStop(signal, listener);
    expect(listener).not.toHaveBeenCalled();
  });
});

describe('onStop on an AbortSignal', () => {
  it('calls the listener once on abort, and not at all once removed', () => {
    const controller = new AbortController();
    const called = vi.fn();
    const removed = vi.fn();
    onStop(controller.signal, called);
    onStop(controller.signal, removed).remove();
    controller.abort('why');
    controller.abort('again');
    expect(called).toHaveBeenCalledTimes(1);
    expect(removed).not.toHaveBeenCalled();
  });
});
