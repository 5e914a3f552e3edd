/**
 * String -> token lookup for the encoder.
 *
 * A `Map`, not an object literal: Baileys keeps its reverse table in a plain object, so strings
 * like `constructor` or `__proto__` find `Object.prototype` members and are written as byte 0
 * (LIST_EMPTY), silently corrupting the node. A Map only knows what was put in it.
 */
import { DOUBLE_BYTE_TOKENS, SINGLE_BYTE_TOKENS } from './gen/tokens';
import { DICTIONARY_0 } from './tags';

/**
 * Token code of each string: a single-byte token is its byte (1..235); a double-byte token is
 * `(0xEC + dict) << 8 | index`, so one number tells the writer both bytes.
 */
const TOKEN_CODES: ReadonlyMap<string, number> = /* @__PURE__ */ buildTokenCodes();

function buildTokenCodes(): Map<string, number> {
  const codes = new Map<string, number>();
  for (let i = 1; i < SINGLE_BYTE_TOKENS.length; i++) codes.set(SINGLE_BYTE_TOKENS[i]!, i);
  for (const [d, dict] of DOUBLE_BYTE_TOKENS.entries()) {
    for (const [i, token] of dict.entries()) codes.set(token, ((DICTIONARY_0 + d) << 8) | i);
  }
  return codes;
}

/** The token code of `s` (see TOKEN_CODES), or `undefined` when `s` is not a token. */
export function tokenCode(s: string): number | undefined {
  return TOKEN_CODES.get(s);
}
