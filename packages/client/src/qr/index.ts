/**
 * `@wakit/client/qr`: a QR code encoder (ISO/IEC 18004:2015, byte mode, versions 1–40, levels
 * L/M/Q/H, the eight masks chosen by the standard's penalty rules) and a terminal renderer, for
 * showing the pairing QR code. Portable and dependency-free: no `node:` imports, no `Buffer`, so
 * it also runs in browsers, Deno, Bun and workers.
 *
 * @example
 * ```ts
 * import { renderQr } from '@wakit/client/qr';
 *
 * client.on('qr', ({ qr }) => console.log(renderQr(qr)));
 * ```
 *
 * @packageDocumentation
 */
export type { QrErrorCorrectionLevel } from './ec-blocks';
export { QR_ERROR_CORRECTION_LEVELS } from './ec-blocks';
export { type EncodeQrOptions, encodeQr, type QrCode, qrByteCapacity } from './encode';
export type { QrMask } from './mask';
export {
  QR_COMPACT_QUIET_ZONE_MODULES,
  QR_QUIET_ZONE_MODULES,
  type RenderQrOptions,
  renderQr,
} from './render-terminal';
export { QR_MAX_VERSION, QR_MIN_VERSION } from './versions';
