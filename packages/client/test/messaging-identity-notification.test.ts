/**
 * `<notification type="encrypt"><identity/>` (`notifications.ts`): a user's identity changed, so
 * every session and stored identity of the user goes, and `identity-changed` is emitted. One from a
 * JID that names no person (found by the fuzzer: a user with a "." reached the Signal address
 * check as a TypeError) changes nothing and throws nothing.
 */
import type { BinaryNode } from '@wakit/binary-node';
import { beforeEach, describe, expect, it } from 'vitest';
import { matchesNode } from '../src/handlers';
import { notificationHandlers } from '../src/messaging/notifications';
import { sendMessage } from '../src/messaging/send';
import { bareStanza, type Device, GroupNet } from './group-harness';

const GROUP = '120363000000000001@g.us';
const A = '15550000001@s.whatsapp.net';
const B = '15550000002@s.whatsapp.net';

let net: GroupNet;
let a1: Device;

beforeEach(async () => {
  net = new GroupNet();
  a1 = await net.addDevice('15550000001', 1);
  await net.addDevice('15550000002', 1);
  net.groups.set(GROUP, [A, B]);
  // A send gives a1 a session with b1 and b1's identity.
  await sendMessage(a1.m, GROUP, { conversation: 'hello' });
  await net.idle();
});

const identityChange = (from: string): BinaryNode => ({
  tag: 'notification',
  attrs: { from, type: 'encrypt', id: 'n1', t: '1700000000' },
  content: [{ tag: 'identity', attrs: {} }],
});

async function notify(node: BinaryNode): Promise<void> {
  const handler = notificationHandlers(a1.m).find((h) => h.name === 'messaging:identity-change')!;
  expect(matchesNode(handler.match, node)).toBe(true);
  await handler.handle(bareStanza(node));
}

describe('identity change notifications', () => {
  it("drop the user's sessions and identities and say so", async () => {
    expect(await a1.store.loadSession('15550000002.1')).toBeDefined();
    expect(await a1.store.getIdentity('15550000002.1')).toBeDefined();
    await notify(identityChange(B));
    expect(await a1.store.loadSession('15550000002.1')).toBeUndefined();
    expect(await a1.store.getIdentity('15550000002.1')).toBeUndefined();
    expect(a1.events.filter((e) => e.event === 'identity-changed').map((e) => e.payload)).toEqual([
      { jid: B },
    ]);
  });

  it('from a JID that names no person change nothing', async () => {
    for (const from of ['a.b@s.whatsapp.net', 's.whatsapp.net@s.whatsapp.net', '@s.whatsapp.net', 'x.y@lid'])
      await notify(identityChange(from));
    expect(await a1.store.loadSession('15550000002.1')).toBeDefined();
    expect(a1.events.filter((e) => e.event === 'identity-changed')).toEqual([]);
    expect(a1.errors).toEqual([]);
  });
});
