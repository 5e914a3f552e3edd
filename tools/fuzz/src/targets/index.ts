/** Every fuzz target, by package. */
import type { FuzzTarget } from '../target';
import { binaryNodeTargets } from './binary-node';
import { clientTargets } from './client';
import { cryptoTargets } from './crypto';
import { noiseTargets } from './noise';
import { signalTargets } from './signal';

export const TARGETS: readonly FuzzTarget[] = [
  ...binaryNodeTargets,
  ...clientTargets,
  ...cryptoTargets,
  ...noiseTargets,
  ...signalTargets,
];
