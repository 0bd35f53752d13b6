import { defineScript, type RedisLikeClient, type RedisReply } from '@deadbolt/core';
import { describe, expect, it } from 'vitest';
import { NodeScripts } from './node-scripts.js';

const script = defineScript('test', 'return 1');

interface Sent {
  readonly command: 'eval' | 'evalsha';
  resolve(reply: RedisReply): void;
  reject(error: unknown): void;
}

/** A client whose every command waits until the test answers it. */
function heldClient() {
  const sent: Sent[] = [];
  const send = (command: Sent['command']) =>
    new Promise<RedisReply>((resolve, reject) => {
      sent.push({ command, resolve, reject });
    });
  const client: RedisLikeClient = {
    eval: () => send('eval'),
    evalsha: () => send('evalsha'),
  };
  return { client, sent };
}

const noScript = () => new Error('NOSCRIPT No matching script. Please use EVAL.');
const settled = () => new Promise((resolve) => setImmediate(resolve));

describe('NodeScripts.outstanding', () => {
  it('counts each call until its answer, an error or its resend settles', async () => {
    const { client, sent } = heldClient();
    const node = new NodeScripts(client);
    // First call loads the script with EVAL.
    const load = node.run(script, ['k'], [], 'a');
    expect(node.outstanding).toBe(1);
    sent[0]!.resolve(1);
    await load;
    expect(node.outstanding).toBe(0);

    // Later calls go as EVALSHA: an answer and an error each end one call.
    const answered = node.run(script, ['k'], [], 'a');
    const failed = node.run(script, ['k'], [], 'b').catch((e: unknown) => e);
    expect(sent.map((s) => s.command)).toEqual(['eval', 'evalsha', 'evalsha']);
    expect(node.outstanding).toBe(2);
    sent[1]!.resolve(1);
    sent[2]!.reject(new Error('ERR something'));
    await answered;
    expect(await failed).toBeInstanceOf(Error);
    expect(node.outstanding).toBe(0);

    // A NOSCRIPT that is sent again as EVAL stays one call until the EVAL settles.
    const resent = node.run(script, ['k'], [], 'c');
    sent[3]!.reject(noScript());
    await settled();
    expect(sent[4]?.command).toBe('eval');
    expect(node.outstanding).toBe(1);
    sent[4]!.reject(new Error('ERR again'));
    await expect(resent).rejects.toThrow('ERR again');
    expect(node.outstanding).toBe(0);
  });

  it('ends a call refused with NOSCRIPT that may not be sent again', async () => {
    const { client, sent } = heldClient();
    const node = new NodeScripts(client);
    const load = node.run(script, ['k'], [], 'a');
    sent[0]!.resolve(1);
    await load;
    const acquire = node.run(script, ['k'], [], 'a');
    // The same owner's next command went out after it: the acquire may not be resent.
    const release = node.run(script, ['k'], [], 'a');
    sent[1]!.reject(noScript());
    await expect(acquire).rejects.toThrow('NOSCRIPT');
    expect(node.outstanding).toBe(1);
    sent[2]!.resolve(0);
    await release;
    expect(node.outstanding).toBe(0);
    expect(sent).toHaveLength(3);
  });
});
