/**
 * The options every command that runs this machine's linked device shares (`link`, `send`,
 * `listen`): which store file, which server, which certificate root. One parser, so the three
 * commands take the same spellings and report the same mistakes.
 */
import { UsageError } from './errors';

/** The store file unless `--store` names another: the current directory, like a project's data. */
export const DEFAULT_STORE_PATH = './wakit-device.db';
/** WhatsApp Web's endpoint (`DEFAULT_WEBSOCKET_URL` of @wakit/client, repeated to keep it lazy). */
export const DEFAULT_URL = 'wss://web.whatsapp.com/ws/chat';

/** Where the device lives and which server it talks to. */
export interface DeviceOptions {
  /** The SQLite store file. */
  storePath: string;
  url: string;
  /** Undefined: WhatsApp's real certificate root (the client's default). */
  rootPublicKey: Uint8Array | undefined;
}

/** The `parseArgs` option specs of {@link DeviceOptions}, to spread into a command's own. */
export const DEVICE_ARG_SPECS = {
  store: { type: 'string' },
  url: { type: 'string' },
  root: { type: 'string' },
} as const;

/** The help lines of the shared options, indented as the commands' option lists are. */
export const DEVICE_OPTIONS_HELP = `  --store <file.db>      the device's SQLite store (default ${DEFAULT_STORE_PATH})
  --url <ws url>         server to connect to (default ${DEFAULT_URL})
  --root <hex>           certificate root to trust instead of WhatsApp's: only for test servers,
                         the rootPublicKey \`wakit serve\` prints (64 hex digits)`;

/** Checks the raw `--store`, `--url` and `--root` values of `command` and fills in the defaults. */
export function parseDeviceOptions(
  values: { store?: string | undefined; url?: string | undefined; root?: string | undefined },
  command: string,
): DeviceOptions {
  return {
    storePath: parseStorePath(values.store, command),
    url: parseUrl(values.url, command),
    rootPublicKey: values.root === undefined ? undefined : parseRoot(values.root, command),
  };
}

function parseStorePath(path: string | undefined, command: string): string {
  if (path === undefined) return DEFAULT_STORE_PATH;
  if (path.trim() === '') throw new UsageError('--store expected a file name, got an empty string', command);
  return path;
}

function parseUrl(url: string | undefined, command: string): string {
  if (url === undefined) return DEFAULT_URL;
  const protocol = URL.canParse(url) ? new URL(url).protocol : undefined;
  if (protocol !== 'ws:' && protocol !== 'wss:') {
    throw new UsageError(`--url expected a ws:// or wss:// URL, got ${JSON.stringify(url)}`, command);
  }
  return url;
}

function parseRoot(hex: string, command: string): Uint8Array {
  // An X25519/Ed25519 public key: 32 bytes. Buffer.from(hex) would silently drop a bad tail.
  if (!/^[0-9a-fA-F]{64}$/.test(hex)) {
    throw new UsageError(`--root expected 64 hex digits (32 bytes), got ${JSON.stringify(hex)}`, command);
  }
  return Uint8Array.from(Buffer.from(hex, 'hex'));
}
