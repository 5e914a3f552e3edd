/**
 * Queries clients make right after login that have an obvious empty answer on a test server.
 * Filled in from what Baileys asks once it is open (see test/baileys-interop.test.ts).
 */
import type { IqHandler } from './iq-context';

/** Answers post-login account queries; `undefined` for anything else. */
export const handleAccountIq: IqHandler = () => undefined;
