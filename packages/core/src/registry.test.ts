import { describe, expect, it } from 'vitest';
import { Registry } from './registry.js';

describe('Registry', () => {
  it('holds what was added, oldest first, until it is removed, and counts it', () => {
    const registry = new Registry<string>();
    const a = registry.add('a');
    const b = registry.add('b');
    const c = registry.add('c');
    expect(registry.size).toBe(3);
    b.remove();
    expect(registry.values()).toEqual(['a', 'c']);
    c.remove();
    a.remove();
    expect(registry.size).toBe(0);
    expect(registry.values()).toEqual([]);
    registry.add('d');
    expect(registry.values()).toEqual(['d']);
  });

  it('removing twice removes once', () => {
    const registry = new Registry<number>();
    const one = registry.add(1);
    registry.add(2);
    one.remove();
    one.remove();
    expect(registry.size).toBe(1);
    expect(registry.values()).toEqual([2]);
  });

  it('the same value added twice is two members', () => {
    const registry = new Registry<string>();
    const first = registry.add('x');
    registry.add('x');
    first.remove();
    expect(registry.values()).toEqual(['x']);
  });

  it('values() is a copy: members can be removed while it is walked', () => {
    const registry = new Registry<number>();
    const members = [1, 2, 3].map((n) => registry.add(n));
    for (const value of registry.values()) members[value - 1]!.remove();
    expect(registry.size).toBe(0);
  });
});
