/**
 * The crash test's sending process: `crash-child.ts <ChildConfig as JSON>`. It opens the SQLite
 * store of a device linked earlier, logs in (no QR: the store holds the account), and sends
 * messages `<round>-<n>` to the peer, awaiting each ack or all at once. It prints one line per event
 * (`crash-protocol.ts`) and is meant to die by SIGKILL: from the parent at a random moment, or from
 * itself at a chosen point (`selfKill`). On stdin `exit` (or when stdin ends: the parent is gone) it
 * disconnects and exits 0.
 */
import { writeSync } from 'node:fs';
import { createInterface } from 'node:readline';
import { createClient } from '@wakit/client';
import { openSqliteStore } from '@wakit/client/sqlite';
import { type CrashProbes, instrumentStore, ProbedTransport } from './crash-hooks';
import {
  type ChildConfig,
  type ChildLine,
  crashMessageId,
  crashMessageText,
  formatChildLine,
  type SelfKillPoint,
} from './crash-protocol';

/** How long a login may take before the child gives up (the parent's own waits fail first). */
const LOGIN_DEADLINE_MS = 60_000;

const config = JSON.parse(process.argv[2] ?? '') as ChildConfig;

// Synchronous writes: a line printed right before a self-kill must reach the parent.
function say(line: Exclude<ChildLine, { kind: 'other' }>): void {
  writeSync(1, `${formatChildLine(line)}\n`);
}

function die(point: SelfKillPoint, n: number): void {
  say({ kind: 'killing', point, n });
  process.kill(process.pid, 'SIGKILL');
}

const target = config.selfKill;
const targetId = target === undefined ? undefined : crashMessageId(config.round, target.n);
// After the commit of the target message, the next frame written is its stanza.
let killOnNextWrite = false;
const probes: CrashProbes = {
  beforeCommit: (id) => {
    if (target?.point === 'before-commit' && id === targetId) die(target.point, target.n);
  },
  afterCommit: (id) => {
    if (target?.point === 'after-commit' && id === targetId) die(target.point, target.n);
    if (target?.point === 'after-write' && id === targetId) killOnNextWrite = true;
  },
  afterWrite: () => {
    if (killOnNextWrite && target !== undefined) die(target.point, target.n);
  },
};

const sqlite = openSqliteStore(config.file);
const { store, flush } = instrumentStore(sqlite, probes, config.sabotage);
const client = createClient({
  store,
  url: config.url,
  rootPublicKey: Uint8Array.from(Buffer.from(config.rootPublicKey, 'hex')),
  transport: () => new ProbedTransport(config.url, probes),
});

let received = 0;
client.on('message', ({ message, info }) => {
  say({ kind: 'received', id: info.id, replayed: info.replayed === true, text: message.conversation ?? '' });
  if (target?.point === 'in-receive' && received === target.n) die(target.point, target.n);
  received += 1;
});
client.on('undecryptable', ({ info, reason }) => say({ kind: 'undecryptable', id: info.id, reason }));
client.on('error', (error) => say({ kind: 'client-error', error: describe(error) }));

async function send(n: number): Promise<void> {
  try {
    await client.sendMessage(
      config.to,
      { conversation: crashMessageText(config.round, n) },
      { id: crashMessageId(config.round, n) },
    );
    await flush();
    say({ kind: 'acked', n });
  } catch (error) {
    say({ kind: 'send-failed', n, error: describe(error) });
  }
}

function describe(error: unknown): string {
  const code = (error as { code?: unknown }).code;
  const name = error instanceof Error ? error.name : typeof error;
  return `${typeof code === 'string' ? code : name}: ${error instanceof Error ? error.message : String(error)}`;
}

const synced = new Promise<void>((resolve) => client.once('offline-sync-complete', () => resolve()));
await client.connect();
say({ kind: 'socket' });
await client.waitForConnected(LOGIN_DEADLINE_MS);
if (config.syncFirst) await synced;
say({ kind: 'ready' });
if (config.mode === 'await') {
  for (let n = 0; n < config.count; n++) await send(n);
} else {
  await Promise.all(Array.from({ length: config.count }, (_, n) => send(n)));
}
say({ kind: 'done' });
// Killed by now in most rounds; otherwise wait for the parent's word (or its end).
for await (const line of createInterface({ input: process.stdin })) if (line === 'exit') break;
// Closing the line reader only pauses stdin, whose pipe would keep the process alive.
process.stdin.destroy();
await client.disconnect();
await sqlite.close();
