/**
 * `npm start`: two clients on the embedded server link, message each other, catch up after being
 * offline and restart from their SQLite files. `npm start -- --tour` (or `npm run tour`) also walks
 * the protocol layers on recorded WhatsApp data.
 */
import { messagingDemo } from './messaging-demo';
import { tour } from './tour';

console.log('wakit: Alice and Bob message each other through an embedded server — all on this machine\n');
await messagingDemo();
if (process.argv.includes('--tour')) {
  console.log('\nwakit: a tour of the protocol layers, on recorded WhatsApp data\n');
  for (const line of await tour()) console.log(line);
} else {
  console.log('\nMore: `npm run tour` walks the protocol layers on recorded WhatsApp data.');
}
