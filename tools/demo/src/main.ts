/** `npm start`: print the tour of what this checkout can do. */
import { tour } from './tour';

console.log('wakit: a tour of this checkout, on recorded WhatsApp data\n');
for (const line of await tour()) console.log(line);
