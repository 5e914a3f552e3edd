import { createTsupConfig } from '../../tsup.shared.ts';

// Two entries: the portable one, and `./node`, the only place node:crypto is imported.
export default createTsupConfig({ entry: ['src/index.ts'] });
