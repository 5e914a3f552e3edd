/**
 * `npm start`: link a client to the embedded server through a virtual phone, log in, restart from
 * the SQLite store. `npm start -- --tour` (or `npm run tour`) also walks the protocol layers on
 * recorded WhatsApp data.
 */
import { loginDemo } from './login-demo';
import { tour } from './tour';

console.log('wakit: link a device, log in, restart — all on this machine\n');
await loginDemo();
if (process.argv.includes('--tour')) {
  console.log('\nwakit: a tour of the protocol layers, on recorded WhatsApp data\n');
  for (const line of await tour()) console.log(line);
} else {
  console.log('\nMore: `npm run tour` walks the protocol layers on recorded WhatsApp data.');
}
