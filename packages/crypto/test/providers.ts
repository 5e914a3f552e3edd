/**
 * The providers every suite runs against, side by side (`describe.each(PROVIDERS)`): the contract
 * is that they give identical results, so every vector must pass on each.
 */
import type { CryptoProvider } from '../src/index';
import { nobleCrypto } from '../src/index';

export const PROVIDERS: readonly CryptoProvider[] = [nobleCrypto];
