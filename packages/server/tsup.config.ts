import { createTsupConfig } from '../../tsup.shared.ts';

// Two entries: the server, and `./internal`, its sans-IO core for tools. Splitting keeps one copy
// of what both share (the state, the error classes), so an object or error from one entry is an
// `instanceof` the same class from the other.
export default createTsupConfig({
  entry: ['src/index.ts', 'src/internal.ts'],
  splitting: true,
});
