/**
 * A second process for the SQLite store tests: `store-sqlite-child.ts <file> <mode>`. It prints one
 * line per event on stdout, and the parent waits for those lines (never for a duration).
 *
 * Modes:
 * - `hold`: claims the store, prints `claimed`, releases on a `release` line from stdin (printing
 *   `released`), and exits when stdin ends. A failed claim prints `error <code>`.
 * - `try-claim`: claims and releases at once; prints `claimed` or `error <code>`, then exits.
 * - `write-loop`: claims, then for i = 0, 1, ...: stores session `peer.<i>`, stores prekey batch i
 *   (ids 5i+1..5i+5), and only then prints `done <i>`. The parent kills it with SIGKILL.
 * - `transaction-loop`: claims, then for i = 0, 1, ...: writes step i (`writeCrashStep`: a value in
 *   every table) in one transaction, and once it committed prints `done <i>`. Killed with SIGKILL.
 */
import { createInterface } from 'node:readline';
import { openSqliteStore } from '../src/sqlite/index';
import { crashPreKeys, crashRecord, writeCrashStep } from './store-sqlite-crash';

const [file, mode] = process.argv.slice(2);
if (file === undefined || mode === undefined) throw new Error('usage: store-sqlite-child.ts <file> <mode>');
const store = openSqliteStore(file);

async function claimOrReport() {
  try {
    const lease = await store.claim();
    console.log('claimed');
    return lease;
  } catch (error) {
    console.log(`error ${(error as { code?: string }).code}`);
    return undefined;
  }
}

if (mode === 'hold') {
  const lease = await claimOrReport();
  for await (const line of createInterface({ input: process.stdin })) {
    if (line === 'release') {
      await lease?.release();
      console.log('released');
    }
  }
} else if (mode === 'try-claim') {
  await (await claimOrReport())?.release();
} else if (mode === 'write-loop') {
  await claimOrReport();
  // Bounded so an orphan (the parent died before killing it) stops by itself.
  for (let i = 0; i < 100_000; i++) {
    await store.storeSession(`peer.${i}`, crashRecord(i));
    await store.storePreKeys(crashPreKeys(i));
    console.log(`done ${i}`);
  }
} else if (mode === 'transaction-loop') {
  await claimOrReport();
  for (let i = 0; i < 100_000; i++) {
    await store.transaction((tx) => writeCrashStep(tx, i));
    console.log(`done ${i}`);
  }
} else {
  throw new Error(`unknown mode ${mode}`);
}
await store.close();
