/**
 * `npm run spec:update -- --whatspec /path/to/whatspec`
 *
 * Pins spec/ to the HEAD of a local whatspec checkout and regenerates the token tables and
 * @wakit/proto (see spec-update.ts). Uses no network: fetch the checkout yourself first.
 */
import { parseArgs } from 'node:util';
import { updateSpec } from './spec-update.ts';

const { values } = parseArgs({ options: { whatspec: { type: 'string' } } });
if (!values.whatspec) {
  console.error('usage: npm run spec:update -- --whatspec /path/to/whatspec');
  process.exitCode = 2;
} else {
  const lock = await updateSpec({ whatspecDir: values.whatspec });
  for (const [name, file] of Object.entries(lock.files)) {
    console.log(
      `${name}: ${file.upstreamPath} @ ${file.commit.slice(0, 12)}, WhatsApp Web ${file.waVersion}`,
    );
  }
  console.log('spec/ and the generated code are updated; review the diff and run npm test.');
}
