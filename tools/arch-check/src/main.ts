/** `npm run check:arch`: fails when a package breaks docs/architecture.md's dependency or portability rules. */
import { fileURLToPath } from 'node:url';
import { checkRepository } from './check';

const root = fileURLToPath(new URL('../../../', import.meta.url));
const problems = checkRepository(root);
if (problems.length > 0) {
  console.error(`architecture check failed (${problems.length}):`);
  for (const p of problems) console.error(`  ${p}`);
  process.exitCode = 1;
} else {
  console.log('architecture check: dependency direction and portability hold');
}
