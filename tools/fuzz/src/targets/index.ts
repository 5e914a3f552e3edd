/**
 * Every fuzz target, by package. Each `targets/<package>.ts` exports its package's `TARGETS`, so a
 * worker that runs one package's targets imports that package alone: importing them all costs
 * seconds of CPU (the generated protobuf code behind noise and client), once per worker.
 */
import type { FuzzTarget } from '../target';
import { TARGETS as binaryNode } from './binary-node';
import { TARGETS as client } from './client';
import { TARGETS as crypto } from './crypto';
import { TARGETS as features } from './features';
import { TARGETS as noise } from './noise';
import { TARGETS as proto } from './proto';
import { TARGETS as signal } from './signal';

export const TARGETS: readonly FuzzTarget[] = [
  ...binaryNode,
  ...client,
  ...crypto,
  ...features,
  ...noise,
  ...proto,
  ...signal,
];

/** The URL of the module holding `pkg`'s targets (`pkg` as in a target's name, `<pkg>/<what>`). */
export function targetsModule(pkg: string): string {
  return new URL(`./${pkg}.ts`, import.meta.url).href;
}
