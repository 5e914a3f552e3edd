/**
 * Types for the one internal module of the `qrcode` npm package (pinned to 1.5.4 in package.json)
 * that the QR tests call: its penalty rules, so our mask choice can be checked rule by rule
 * against an independent implementation.
 */
declare module 'qrcode/lib/core/mask-pattern.js' {
  import type { BitMatrix } from 'qrcode';

  export function getPenaltyN1(data: BitMatrix): number;
  export function getPenaltyN2(data: BitMatrix): number;
  export function getPenaltyN3(data: BitMatrix): number;
  export function getPenaltyN4(data: BitMatrix): number;
}
