import { readFileSync } from 'node:fs';
import { createServer } from 'node:net';

/** Lowest port we hand out: well above the usual service ports (6379 included). */
const RANGE_START = 20_000;

/** Ports handed out by this process; never handed out twice, so a stopped server can restart. */
const handedOut = new Set<number>();

/**
 * The range we pick from ends where the kernel's ephemeral (outgoing) ports begin. Outside
 * that range no client socket can grab the port while a server is down between kill() and
 * restart(), and a reconnecting client can never connect to itself.
 */
function pickRange(): [number, number] {
  let ephemeralStart = 32_768;
  try {
    const text = readFileSync('/proc/sys/net/ipv4/ip_local_port_range', 'utf8');
    const first = Number.parseInt(text.trim().split(/\s+/)[0] ?? '', 10);
    if (Number.isInteger(first)) ephemeralStart = first;
  } catch {
    // Not Linux: macOS and BSDs start ephemeral ports at 49152, so 32768 is safe there too.
  }
  return [RANGE_START, Math.min(ephemeralStart, 65_536)];
}

function canListen(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const probe = createServer();
    probe.once('error', () => resolve(false));
    probe.listen({ port, host: '127.0.0.1', exclusive: true }, () => {
      probe.close(() => resolve(true));
    });
  });
}

function listenOnAnyPort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.once('error', reject);
    probe.listen({ port: 0, host: '127.0.0.1', exclusive: true }, () => {
      const address = probe.address();
      probe.close(() => {
        if (address !== null && typeof address === 'object') resolve(address.port);
        else reject(new Error('could not read the port the probe listened on'));
      });
    });
  });
}

/**
 * Picks a loopback port that is free right now and was not handed out before by this process.
 *
 * Another process can still take it before redis-server binds it, so callers must retry
 * with a new port when the server fails with "Address already in use".
 */
export async function pickFreePort(): Promise<number> {
  const [start, end] = pickRange();
  if (end - start >= 1_000) {
    for (let attempt = 0; attempt < 50; attempt++) {
      const port = start + Math.floor(Math.random() * (end - start));
      if (handedOut.has(port)) continue;
      handedOut.add(port);
      if (await canListen(port)) return port;
    }
  }
  for (let attempt = 0; attempt < 50; attempt++) {
    const port = await listenOnAnyPort();
    if (handedOut.has(port)) continue;
    handedOut.add(port);
    return port;
  }
  throw new Error('could not find a free loopback port');
}
