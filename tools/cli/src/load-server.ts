/**
 * The real `startServer`, loaded on first use: `wakit qr` and `wakit --help` should start in a
 * blink and not load Noise, Signal and a WebSocket server they never use.
 */
import type { StartServer } from './server-contract';

/** `startServer` of @wakit/server behind a dynamic import; see {@link StartServer}. */
export const startServerLazily: StartServer = async (options) => {
  // Typed as optional so this compiles while the server package is still being written; once it
  // exports `startServer`, the assignment checks its signature against our contract.
  const server: { startServer?: StartServer } = await import('@wakit/server');
  if (typeof server.startServer !== 'function') {
    throw new Error('@wakit/server does not export startServer (yet); is the package built or linked?');
  }
  return server.startServer(options);
};
