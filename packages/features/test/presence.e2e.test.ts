import { afterEach, describe, expect, it } from 'vitest';
import { until } from '../../client/test/_wait';
import { type ChatStateUpdate, type PresenceUpdate, presenceModule } from '../src/index';
import { linkedOnServer } from './_linked';

const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0)) await cleanup();
});

const ANA = '15550001111@s.whatsapp.net';
const BEN = '15550002222@s.whatsapp.net';

async function twoAccounts() {
  const linked = await linkedOnServer('15550001111');
  cleanups.push(linked.close);
  const ben = await linked.linkAccount('15550002222');
  return {
    ana: linked.client,
    ben,
    anaPresence: linked.client.use(presenceModule),
    benPresence: ben.use(presenceModule),
  };
}

describe('presence and chat state on the embedded server', () => {
  it('a subscriber sees the other account come online and go offline, with its last seen', async () => {
    const { ben, anaPresence, benPresence } = await twoAccounts();
    const seen: PresenceUpdate[] = [];
    ben.on('presence', (update) => seen.push(update as PresenceUpdate));
    await anaPresence.setAvailable();
    await benPresence.subscribe(ANA);
    // The subscription's answer and the push may come in either order: Ana's presence and Ben's
    // subscribe travel on different connections.
    await until(() => seen.some((u) => u.jid === ANA && u.available), "Ana's presence, online");
    const online = seen.length;
    await anaPresence.setUnavailable();
    await until(
      () => seen.slice(online).some((u) => u.jid === ANA && !u.available),
      "Ana's presence, offline",
    );
    const offline = seen.slice(online).find((u) => u.jid === ANA && !u.available)!;
    expect(offline.lastSeen).toBeTypeOf('number');
  });

  it('chat states reach the peer as composing, recording and paused', async () => {
    const { anaPresence, benPresence } = await twoAccounts();
    const states: ChatStateUpdate[] = [];
    const off = benPresence.registerChatstateHandler((update) => states.push(update));
    for (const state of ['composing', 'recording', 'paused'] as const)
      await anaPresence.sendChatState(BEN, state);
    await until(() => states.length === 3, 'three chat states');
    expect(states.map((s) => s.state)).toEqual(['composing', 'recording', 'paused']);
    expect(states.every((s) => s.chat === ANA && s.sender === ANA)).toBe(true);
    off();
    const later: ChatStateUpdate[] = [];
    benPresence.registerChatstateHandler((update) => later.push(update));
    await anaPresence.sendChatState(BEN, 'composing');
    await until(() => later.length === 1, 'the chat state after the first handler was removed');
    expect(states).toHaveLength(3);
  });

  it('a chat-state handler that throws is reported, and the other handlers still get the update', async () => {
    const { ben, anaPresence, benPresence } = await twoAccounts();
    const errors: { error: unknown; context: string }[] = [];
    ben.on('error', (event) => errors.push(event));
    benPresence.registerChatstateHandler(() => {
      throw new Error('broken handler');
    });
    const states: ChatStateUpdate[] = [];
    benPresence.registerChatstateHandler((update) => states.push(update));
    await anaPresence.sendChatState(BEN, 'composing');
    await until(() => states.length === 1 && errors.length === 1, 'the update and the report');
    expect(errors[0]).toMatchObject({
      context: 'a chat-state handler',
      error: { message: 'broken handler' },
    });
  });
});
