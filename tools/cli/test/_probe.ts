/**
 * Probes a `ws://` URL from outside: does a WebSocket upgrade succeed, is the port closed? Uses
 * only node:http and node:net, so the probe shares no code with the server it checks.
 */
import { randomBytes } from 'node:crypto';
import { request } from 'node:http';
import { connect } from 'node:net';

/** Resolves with the HTTP status the server answers a WebSocket upgrade of `wsUrl` with (101 = accepted). */
export function upgradeStatus(wsUrl: string): Promise<number> {
  const url = new URL(wsUrl);
  url.protocol = url.protocol === 'wss:' ? 'https:' : 'http:';
  return new Promise((resolve, reject) => {
    const req = request(url, {
      headers: {
        Connection: 'Upgrade',
        Upgrade: 'websocket',
        'Sec-WebSocket-Version': '13',
        'Sec-WebSocket-Key': randomBytes(16).toString('base64'),
      },
    });
    req.on('upgrade', (res, socket) => {
      socket.destroy();
      resolve(res.statusCode ?? 0);
    });
    req.on('response', (res) => {
      res.resume();
      resolve(res.statusCode ?? 0);
    });
    req.on('error', reject);
    req.end();
  });
}

/** Resolves true if a TCP connection to the URL's host and port is refused. */
export function isRefused(wsUrl: string): Promise<boolean> {
  const url = new URL(wsUrl);
  const host = url.hostname.replace(/^\[(.*)\]$/, '$1');
  return new Promise((resolve, reject) => {
    const socket = connect({ host, port: Number(url.port) });
    socket.on('connect', () => {
      socket.destroy();
      resolve(false);
    });
    socket.on('error', (e: NodeJS.ErrnoException) => {
      if (e.code === 'ECONNREFUSED') resolve(true);
      else reject(e);
    });
  });
}
