/** JPEG bytes and IQ builders for the profile picture and status tests. */
import type { BinaryNode } from '@wakit/binary-node';

/** An 8x8 JPEG, made with sharp (`sharp({ create: { width: 8, height: 8, channels: 3, background } }).jpeg()`). */
export const JPEG = Uint8Array.from(
  Buffer.from(
    '/9j/2wBDABALDA4MChAODQ4SERATGCgaGBYWGDEjJR0oOjM9PDkzODdASFxOQERXRTc4UG1RV19iZ2hnPk1xeXBkeFxlZ2P/2wBDARESEhgVGC8aGi9jQjhCY2NjY2NjY2NjY2NjY2NjY2NjY2NjY2NjY2NjY2NjY2NjY2NjY2NjY2NjY2NjY2NjY2P/wAARCAAIAAgDASIAAhEBAxEB/8QAFQABAQAAAAAAAAAAAAAAAAAAAAX/xAAUEAEAAAAAAAAAAAAAAAAAAAAA/8QAFQEBAQAAAAAAAAAAAAAAAAAABAb/xAAUEQEAAAAAAAAAAAAAAAAAAAAA/9oADAMBAAIRAxEAPwCOACqH/9k=',
    'base64',
  ),
);

/** A different (smaller) JPEG-looking payload to stand for a preview: SOI, APP0 marker, EOI. */
export const PREVIEW = new Uint8Array([0xff, 0xd8, 0xff, 0xe0, 0x00, 0x02, 0xff, 0xd9]);

/** `<picture type [query] [id]>` of a get. */
export function pictureQuery(type: string, id?: string): BinaryNode {
  const attrs: Record<string, string> = { type, query: 'url' };
  if (id !== undefined) attrs.id = id;
  return { tag: 'picture', attrs };
}

/** `<picture type>bytes</picture>` of a set. */
export function pictureSet(bytes: Uint8Array, type = 'image'): BinaryNode {
  return { tag: 'picture', attrs: { type }, content: bytes };
}
