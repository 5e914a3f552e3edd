/**
 * Two virtual phones talking through the server's real relay (`state.stanzas.receive`, the outbox),
 * with no sockets: messages both ways in both namespaces, receipts back to the sender, copies for
 * the sender's own companions, and a retry answered end to end.
 */
import type { BinaryNode } from '@wakit/binary-node';
import { describe, expect, it } from 'vitest';
import { child } from '../src/nodes';
import { addFakeDevice, decryptEnc, makeState } from './phone-fixtures';

async function twoPhones() {
  const { state, phones } = makeState();
  const alice = await phones.create('15550001111', { lidUser: '100000000000001' });
  const bob = await phones.create('15550002222', { lidUser: '200000000000002' });
  return { state, alice, bob };
}

describe('two virtual phones through the relay', () => {
  it('exchange messages both ways, and each gets the delivery receipt of what it sent', async () => {
    const { alice, bob } = await twoPhones();
    const first = await alice.sendMessage(bob.jid, { conversation: 'hi bob' });
    const got = await bob.waitForMessage((m) => m.info.id === first);
    expect(got.message.conversation).toBe('hi bob');
    expect(got.info).toMatchObject({
      chat: alice.jid,
      sender: alice.jid,
      senderAlt: alice.lid,
      fromMe: false,
      pushName: 'User 1111',
    });
    const delivered = await alice.waitFor('receipt', (r) => r.id === first);
    expect(delivered).toMatchObject({ from: bob.jid, type: undefined });

    const reply = await bob.sendMessage(alice.jid, { conversation: 'hi alice' });
    expect((await alice.waitForMessage((m) => m.info.id === reply)).message.conversation).toBe('hi alice');
    await bob.waitFor('receipt', (r) => r.id === reply);
    // Nothing failed anywhere, and each side read the other's ciphertexts on one session.
    expect([...alice.undecryptable, ...bob.undecryptable]).toEqual([]);
    expect(alice.messages).toHaveLength(1);
    expect(bob.messages).toHaveLength(1);
  });

  it('talk in the LID namespace when the chat is a LID', async () => {
    const { alice, bob } = await twoPhones();
    const id = await alice.sendMessage(bob.lid, { conversation: 'over lid' });
    const { info } = await bob.waitForMessage((m) => m.info.id === id);
    expect(info).toMatchObject({ chat: alice.lid, sender: alice.lid, senderAlt: alice.jid });
    expect(await alice.waitFor('receipt', (r) => r.id === id)).toMatchObject({ from: bob.lid });
  });

  it("deliver a read receipt to the sender, and the sender's companion gets its wrapped copy", async () => {
    const { state, alice, bob } = await twoPhones();
    const laptop = await addFakeDevice(state, alice, 1);
    const id = await alice.sendMessage(bob.jid, { conversation: 'read me' });
    await bob.waitForMessage((m) => m.info.id === id);
    bob.markRead(alice.jid, [id]);
    expect(await alice.waitFor('receipt', (r) => r.id === id && r.type === 'read')).toMatchObject({
      from: bob.jid,
    });
    // The laptop is offline: its copy waits in its queue, and decrypts to the wrapped message.
    const copy = state.outbox
      .pending(laptop.record.jid)
      .find((n) => n.tag === 'message' && n.attrs.id === id);
    expect(copy?.attrs).toMatchObject({ from: alice.jid, recipient: bob.jid });
    const message = await decryptEnc(laptop, state.devices.get(alice.jid)!, child(copy, 'enc')!);
    expect(message.deviceSentMessage?.destinationJid).toBe(bob.jid);
    expect(message.deviceSentMessage?.message?.conversation).toBe('read me');
  });

  it('recover a message the recipient could not decrypt: retry receipt, resend on a fresh session', async () => {
    const { state, alice, bob } = await twoPhones();
    const resends: BinaryNode[] = [];
    state.events.on('message', ({ node }) => {
      if (child(node, 'participants') === undefined) resends.push(node);
    });
    await alice.sendMessage(bob.jid, { conversation: 'warm up' });
    await bob.waitForMessage();
    await bob.sendMessage(alice.jid, { conversation: 'ok' });
    await alice.waitForMessage();
    // Bob loses his session with Alice (a reinstall would): her next msg cannot decrypt.
    bob.signal.store.sessions.clear();
    const lost = await alice.sendMessage(bob.jid, { conversation: 'after the loss' });
    const failure = await bob.waitFor('undecryptable', (u) => u.info.id === lost);
    expect(failure.encType).toBe('msg');
    expect((failure.error as { code?: string }).code).toBe('ERR_SIGNAL_NO_SESSION');
    // Alice's first resend uses the session she still has and fails again; Bob's second retry
    // offers keys, Alice starts a fresh session on them, and that copy decrypts.
    const recovered = await bob.waitForMessage((m) => m.info.id === lost);
    expect(recovered.message.conversation).toBe('after the loss');
    expect(bob.undecryptable.map((u) => u.retryCount)).toEqual([1, 2]);
    expect(alice.receipts.filter((r) => r.type === 'retry').map((r) => r.id)).toEqual([lost, lost]);
    // The relay carried the resends to Bob's device alone, each with its count.
    expect(resends.map((n) => [n.attrs.to, child(n, 'enc')?.attrs.count])).toEqual([
      [bob.jid, '1'],
      [bob.jid, '2'],
    ]);
    await alice.waitFor('receipt', (r) => r.id === lost && r.type === undefined);
  });
});
