import { isRemoteProtocolError } from '@wakit/errors';
import { describe, expect, it } from 'vitest';
import { getBinaryContent, getChild, getChildOrThrow, getChildren, getStringContent } from '../src/children';
import { isBinaryNodeError, MissingChildError } from '../src/errors';
import type { BinaryNode } from '../src/node';

const leaf = (tag: string, attrs: Record<string, string> = {}): BinaryNode => ({ tag, attrs });
const iq: BinaryNode = {
  tag: 'iq',
  attrs: { type: 'result' },
  content: [
    leaf('participant', { jid: '1@lid' }),
    leaf('description'),
    leaf('participant', { jid: '2@lid' }),
  ],
};
const withBytes = (bytes: number[]): BinaryNode => ({ tag: 'b', attrs: {}, content: new Uint8Array(bytes) });

describe('node accessors', () => {
  it('lists all children, or those with a tag, in order', () => {
    expect(getChildren(iq).map((c) => c.tag)).toEqual(['participant', 'description', 'participant']);
    expect(getChildren(iq, 'participant').map((c) => c.attrs.jid)).toEqual(['1@lid', '2@lid']);
    expect(getChildren(iq, 'missing')).toEqual([]);
  });

  it('lists no children when the content is not a child list', () => {
    expect(getChildren(leaf('a'))).toEqual([]);
    expect(getChildren({ tag: 'a', attrs: {}, content: 'text' })).toEqual([]);
    expect(getChildren(withBytes([1]), 'x')).toEqual([]);
    expect(getChild({ tag: 'a', attrs: {}, content: 'participant' }, 'participant')).toBeUndefined();
  });

  it('finds the first child with a tag', () => {
    expect(getChild(iq, 'participant')?.attrs.jid).toBe('1@lid');
    expect(getChild(iq, 'description')).toBe((iq.content as BinaryNode[])[1]);
    expect(getChild(iq, 'missing')).toBeUndefined();
  });

  it('throws a remote MissingChildError naming both tags when a required child is absent', () => {
    expect(getChildOrThrow(iq, 'description').tag).toBe('description');
    let caught: unknown;
    try {
      getChildOrThrow(iq, 'list');
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(MissingChildError);
    const e = caught as MissingChildError;
    expect(e.message).toBe('<iq> has no <list> child');
    expect([e.parentTag, e.childTag]).toEqual(['iq', 'list']);
    expect(e.code).toBe('ERR_BINARY_MISSING_CHILD');
    expect(isRemoteProtocolError(e)).toBe(true);
    expect(isBinaryNodeError(e)).toBe(true);
  });

  it('returns byte content only when the content is bytes', () => {
    const node = withBytes([1, 2]);
    expect(getBinaryContent(node)).toBe(node.content);
    expect(getBinaryContent({ tag: 'a', attrs: {}, content: 'text' })).toBeUndefined();
    expect(getBinaryContent(iq)).toBeUndefined();
    expect(getBinaryContent(leaf('a'))).toBeUndefined();
  });

  it('returns string content as is and decodes UTF-8 bytes', () => {
    expect(getStringContent({ tag: 'a', attrs: {}, content: 'receipt' })).toBe('receipt');
    expect(getStringContent(withBytes([0x68, 0xc3, 0xa9]))).toBe('hé');
    expect(getStringContent(withBytes([0xef, 0xbb, 0xbf, 0x41]))).toBe('\uFEFFA');
    expect(getStringContent(withBytes([]))).toBe('');
  });

  it('returns no string for children, absent content or bytes that are not UTF-8', () => {
    expect(getStringContent(iq)).toBeUndefined();
    expect(getStringContent(leaf('a'))).toBeUndefined();
    expect(getStringContent(withBytes([0xff, 0xfe]))).toBeUndefined();
    expect(getStringContent(withBytes([0xc3]))).toBeUndefined();
  });
});
