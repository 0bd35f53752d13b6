import { describe, expect, it } from 'vitest';
import { hashTagOf, lockKeys, wakeChannel } from './lock-keys.js';

describe('lockKeys', () => {
  it('puts the name in a hash tag shared by the key, the fence and the channel', () => {
    const keys = lockKeys('deadbolt:', 'payment:42');
    expect(keys).toEqual({
      name: 'payment:42',
      key: 'deadbolt:{payment:42}',
      fenceKey: 'deadbolt:{payment:42}:fence',
      channel: 'deadbolt:{payment:42}:released',
      queue: 'deadbolt:{payment:42}:queue',
    });
  });

  it.each(['a{b', 'a}b', '{x}', 'x}{y', '{}', 'a{', '{{}}'])(
    'keeps one hash tag for all keys of name %j',
    (name) => {
      const keys = lockKeys('deadbolt:', name);
      const tag = hashTagOf(keys.key);
      expect(tag).toBeDefined();
      expect(hashTagOf(keys.fenceKey)).toBe(tag);
      expect(hashTagOf(keys.channel)).toBe(tag);
      expect(hashTagOf(keys.queue)).toBe(tag);
      expect(hashTagOf(wakeChannel(keys, 'abc'))).toBe(tag);
    },
  );

  it('rejects a name whose hash tag would be empty, naming the argument', () => {
    expect(() => lockKeys('deadbolt:', '}x')).toThrow(RangeError);
    expect(() => lockKeys('deadbolt:', '}x')).toThrow(/name/);
  });

  it('lets a prefix with its own hash tag decide the slot', () => {
    const keys = lockKeys('app{1}:', 'x');
    expect(hashTagOf(keys.key)).toBe('1');
    expect(hashTagOf(keys.channel)).toBe('1');
  });
});
