// The worker's entry: plain JavaScript, because a worker does not inherit tsx's loader. It
// registers tsx in this thread, then runs the TypeScript worker.
import { register } from 'tsx/esm/api';

register();
await import('./worker.ts');
