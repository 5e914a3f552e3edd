/**
 * Property tests print their seed when they fail; replay one with `FC_SEED=<seed> npm test`, or run
 * deeper with `FC_NUM_RUNS=100000`.
 */
import fc from 'fast-check';

const seed = process.env.FC_SEED;
const numRuns = process.env.FC_NUM_RUNS;
fc.configureGlobal({
  ...(seed ? { seed: Number(seed) } : {}),
  ...(numRuns ? { numRuns: Number(numRuns) } : {}),
});
