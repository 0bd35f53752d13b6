import { existsSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { Redis } from 'ioredis';
import { describe, expect, it } from 'vitest';
import { REGISTRY_ENV, startRedisServer, stopAllRedisServers } from '../src/index.js';
import { isProcessGone } from '../src/process-probe.js';

function registryFile(pid: number): string {
  const registry = process.env[REGISTRY_ENV];
  if (registry === undefined)
    throw new Error(`${REGISTRY_ENV} is not set: is the global setup on?`);
  return join(registry, String(pid));
}

describe('startRedisServer', () => {
  it('starts a server that answers PING on a loopback port', async () => {
    const server = await startRedisServer();
    try {
      expect(server.host).toBe('127.0.0.1');
      expect(server.url).toBe(`redis://127.0.0.1:${server.port}`);
      expect(server.port).not.toBe(6379);
      expect(server.state).toBe('running');
      expect(server.pid).toBeTypeOf('number');
      expect(await server.command('PING')).toBe('PONG');
      const client = new Redis(server.url, { lazyConnect: true });
      try {
        await client.connect();
        expect(await client.ping()).toBe('PONG');
        // Nothing is saved to disk unless asked for.
        expect(await client.config('GET', 'save')).toEqual(['save', '']);
        expect(await client.config('GET', 'appendonly')).toEqual(['appendonly', 'no']);
      } finally {
        client.disconnect();
      }
    } finally {
      await server.stop();
    }
  });

  it('does not answer while paused, and answers again after resume', async () => {
    const server = await startRedisServer({ commandTimeout: 300 });
    const client = new Redis(server.url, { commandTimeout: 300, maxRetriesPerRequest: 0 });
    try {
      expect(await client.ping()).toBe('PONG');
      await server.pause();
      expect(server.state).toBe('paused');
      expect(server.pid).toBeTypeOf('number');

      await expect(client.ping()).rejects.toThrow('Command timed out');
      await expect(server.command('PING')).rejects.toThrow(/did not answer PING within 300 ms/);

      await server.resume();
      expect(server.state).toBe('running');
      expect(await client.ping()).toBe('PONG');
      expect(await server.command('PING')).toBe('PONG');
    } finally {
      client.disconnect();
      await server.stop();
    }
  });

  it('comes back empty after kill() and restart()', async () => {
    const server = await startRedisServer();
    try {
      const port = server.port;
      const firstPid = server.pid!;
      await server.command('SET', 'k', 'v');
      expect(await server.command('DBSIZE')).toBe(1);

      await server.kill();
      expect(server.state).toBe('stopped');
      expect(server.pid).toBeUndefined();
      expect(isProcessGone(firstPid)).toBe(true);
      await expect(server.command('PING')).rejects.toThrow(/is stopped/);

      await server.restart();
      expect(server.state).toBe('running');
      expect(server.port).toBe(port);
      expect(server.pid).not.toBe(firstPid);
      expect(await server.command('DBSIZE')).toBe(0);
    } finally {
      await server.stop();
    }
  });

  it('keeps data across kill() and restart({ empty: false }) with persistence', async () => {
    const server = await startRedisServer({ persistence: true });
    try {
      await server.command('SET', 'survivor', 'yes');
      await server.kill();
      await server.restart({ empty: false });
      expect(await server.command('GET', 'survivor')).toBe('yes');

      // restart() of a running server shuts it down gracefully first.
      await server.command('SET', 'second', 'also');
      await server.restart({ empty: false });
      expect(await server.command('MGET', 'survivor', 'second')).toEqual(['yes', 'also']);

      await server.restart();
      expect(await server.command('DBSIZE')).toBe(0);
    } finally {
      await server.stop();
    }
  });

  it('refuses restart({ empty: false }) without persistence', async () => {
    const server = await startRedisServer();
    try {
      await expect(server.restart({ empty: false })).rejects.toThrow(/persistence: true/);
      expect(server.state).toBe('running');
    } finally {
      await server.stop();
    }
  });

  it('stop() ends the process, removes its directory and its registry file', async () => {
    const server = await startRedisServer();
    const pid = server.pid!;
    expect(existsSync(registryFile(pid))).toBe(true);
    expect(existsSync(server.dir)).toBe(true);

    await server.stop();
    expect(server.state).toBe('stopped');
    expect(server.pid).toBeUndefined();
    expect(() => process.kill(pid, 0)).toThrow(expect.objectContaining({ code: 'ESRCH' }));
    expect(existsSync(registryFile(pid))).toBe(false);
    expect(existsSync(server.dir)).toBe(false);
    await server.stop(); // idempotent
  });

  it('stops a paused server', async () => {
    const server = await startRedisServer();
    const pid = server.pid!;
    await server.pause();
    await server.stop();
    expect(() => process.kill(pid, 0)).toThrow(expect.objectContaining({ code: 'ESRCH' }));
  });

  it('rejects pause(), resume() and kill() on a stopped server', async () => {
    const server = await startRedisServer();
    await server.stop();
    await expect(server.pause()).rejects.toThrow(
      /pause\(\): redis-server on port \d+ is not running/,
    );
    await expect(server.resume()).rejects.toThrow(/resume\(\).*is not running/);
    await expect(server.kill()).rejects.toThrow(/kill\(\).*is not running/);
  });

  it('can start again after stop(), empty and on the same port', async () => {
    const server = await startRedisServer();
    const port = server.port;
    await server.stop();
    await expect(server.restart({ empty: false })).rejects.toThrow(/persistence/);
    await server.restart();
    try {
      expect(server.port).toBe(port);
      expect(await server.command('DBSIZE')).toBe(0);
    } finally {
      await server.stop();
    }
  });

  it('fails with the server output when redis-server rejects its arguments', async () => {
    const started = Date.now();
    const error = await startRedisServer({ args: ['--no-such-option', 'yes'] }).catch((e) => e);
    expect(error).toBeInstanceOf(Error);
    expect(error.message).toMatch(/failed to start: it exited with code 1/);
    expect(error.message).toMatch(/output\.log:\n[\s\S]*no-such-option/);
    expect(Date.now() - started).toBeLessThan(10_000);
  });

  it('fails restart() clearly while another process holds its port', async () => {
    const server = await startRedisServer({ startTimeout: 1_000 });
    // Some other program that took the port while the server was down.
    const squatter = createServer((socket) => socket.destroy());
    try {
      await server.kill();
      await new Promise<void>((resolve, reject) => {
        squatter.once('error', reject);
        squatter.listen(server.port, '127.0.0.1', resolve);
      });
      await expect(server.restart()).rejects.toThrow(
        /port stayed in use[\s\S]*Address already in use/,
      );
      expect(server.state).toBe('stopped');

      await new Promise((resolve) => squatter.close(resolve));
      await server.restart();
      expect(await server.command('PING')).toBe('PONG');
    } finally {
      squatter.close();
      await server.stop();
    }
  });

  it('stopAllRedisServers() stops every server of this process, paused ones too', async () => {
    const running = await startRedisServer();
    const paused = await startRedisServer();
    await paused.pause();
    const pids = [running.pid!, paused.pid!];

    await stopAllRedisServers();
    expect([running.state, paused.state]).toEqual(['stopped', 'stopped']);
    for (const pid of pids) {
      expect(() => process.kill(pid, 0)).toThrow(expect.objectContaining({ code: 'ESRCH' }));
    }
  });
});
