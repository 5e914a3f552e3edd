/**
 * `npm run test:slow -w @wakit/crypto`: the RFC 7748 §5.2 iterated X25519 vector after 1,000,000
 * iterations, too slow for the test suite (node provider ~2-3 minutes here; `--noble` takes the
 * better part of an hour). Exits non-zero on a mismatch. The 1 and 1,000 iteration values are in
 * test/x25519.test.ts.
 */
import { nobleCrypto } from '../../src/index';
import { createNodeCrypto } from '../../src/node';
import { hex, loadVector, toHex } from '../vectors';

const rfc = loadVector<{ iterated: { after_1000: string; after_1000000_not_included: string } }>(
  'rfc7748-x25519.json',
);
// The vector file quotes the RFC's value in prose; the RFC text itself (§5.2) gives:
const AFTER_1_000_000 = '7c3911e0ab2586fd864497297e575e6f3bc601c0883c30df5f4dd2d24f665424';
if (!rfc.iterated.after_1000000_not_included.includes(AFTER_1_000_000)) {
  throw new Error('the vector file and this script disagree on the RFC 7748 value');
}

// Every iteration uses a new private key, so a key cache would only churn.
const crypto = process.argv.includes('--noble') ? nobleCrypto : createNodeCrypto({ keyCacheSize: 0 });
let k = hex(`09${'00'.repeat(31)}`);
let u = k;
const started = Date.now();
for (let i = 1; i <= 1_000_000; i++) {
  [k, u] = [await crypto.sharedKey(k, u), k];
  if (i === 1000 && toHex(k) !== rfc.iterated.after_1000)
    throw new Error(`wrong value after 1,000: ${toHex(k)}`);
  if (i % 100_000 === 0)
    console.log(`${i.toLocaleString('en-US')} iterations, ${(Date.now() - started) / 1000} s`);
}
if (toHex(k) !== AFTER_1_000_000) {
  console.error(
    `RFC 7748 iterated x1,000,000 on ${crypto.name}: got ${toHex(k)}, expected ${AFTER_1_000_000}`,
  );
  process.exit(1);
}
console.log(`RFC 7748 iterated x1,000,000 on ${crypto.name}: ${AFTER_1_000_000} (ok)`);
