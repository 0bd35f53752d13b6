import { connect } from 'node:net';

/**
 * Asks whatever listens on a loopback port whether it is a ready Redis, and which process it
 * is. Resolves the server's pid once it answers PING with PONG (not LOADING), or undefined
 * when nothing answers in time. The pid lets the caller make sure it reached the server it
 * just spawned and not another one that won a race for the same port.
 */
export function probeServer(port: number, timeoutMs: number): Promise<number | undefined> {
  return new Promise((resolve) => {
    let received = '';
    const socket = connect({ host: '127.0.0.1', port });
    const finish = (pid: number | undefined): void => {
      clearTimeout(timer);
      socket.destroy();
      resolve(pid);
    };
    const timer = setTimeout(() => finish(undefined), timeoutMs);
    socket.setEncoding('utf8');
    socket.once('error', () => finish(undefined));
    socket.once('close', () => finish(undefined));
    socket.once('connect', () => socket.write('PING\r\nINFO server\r\n'));
    socket.on('data', (chunk: string) => {
      received += chunk;
      if (!received.startsWith('+PONG\r\n')) {
        if (received.includes('\r\n')) finish(undefined); // an error such as -LOADING
        return;
      }
      const match = /\r\nprocess_id:(\d+)\r\n/.exec(received);
      if (match) finish(Number(match[1]));
    });
  });
}
