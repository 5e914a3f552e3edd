/**
 * `tsx tools/codegen/src/main.ts <target>... [--check]`
 *
 * Targets: `tokens` (packages/binary-node/src/gen) and `proto` (packages/proto/src/gen). Without
 * `--check` the target directory is regenerated; with it, nothing is written and the process exits
 * non-zero if any generated file is stale, missing or left over. No network is used.
 */
import { diffGeneratedDir, type GeneratedDir, writeGeneratedDir } from './generated-dir.ts';
import { generateProto } from './proto.ts';
import { generateTokens } from './tokens.ts';

const TARGETS: Record<string, () => GeneratedDir | Promise<GeneratedDir>> = {
  tokens: generateTokens,
  proto: generateProto,
};

async function main(argv: string[]): Promise<number> {
  const check = argv.includes('--check');
  const names = argv.filter((a) => !a.startsWith('--'));
  const unknown = names.filter((n) => !(n in TARGETS));
  if (names.length === 0 || unknown.length > 0) {
    console.error(`usage: main.ts <${Object.keys(TARGETS).join('|')}>... [--check]`);
    return 2;
  }
  let failed = false;
  for (const name of names) {
    const gen = await TARGETS[name]!();
    if (check) {
      const problems = diffGeneratedDir(gen);
      if (problems.length > 0) {
        failed = true;
        console.error(`generated code for "${name}" is out of date; run \`npm run generate\`:`);
        for (const p of problems) console.error(`  ${p}`);
      } else {
        console.log(`${name}: generated code is up to date (${gen.files.length} files)`);
      }
    } else {
      writeGeneratedDir(gen);
      console.log(`${name}: wrote ${gen.files.length} files to ${gen.dir}`);
    }
  }
  return failed ? 1 : 0;
}

process.exitCode = await main(process.argv.slice(2));
