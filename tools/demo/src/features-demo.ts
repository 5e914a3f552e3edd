/**
 * The demo's feature step: what `wakit`'s `createClient` mounts beside messaging, used between the
 * two people as an application would. Bob watches Alice's presence and sees her come online, type
 * and leave, with her last seen until she hides it; he blocks and unblocks her.
 */
import type { ChatStateUpdate, PresenceUpdate } from 'wakit';
import { nextEvent, within } from './deadline';
import type { Output } from './narration';
import type { Person } from './person';

/** Runs the step; every wait has the demo's deadline. */
export async function featuresDemo(alice: Person, bob: Person, { print }: Output): Promise<void> {
  const presenceOf = (what: string, filter: (update: PresenceUpdate) => boolean) =>
    nextEvent(bob.client, 'presence', what, (payload) => filter(payload as PresenceUpdate)).then(
      (payload) => payload as PresenceUpdate,
    );
  const aliceJid = alice.phone.jid;

  const first = presenceOf("Alice's presence", (update) => update.jid === aliceJid);
  await bob.client.presence.subscribe(aliceJid);
  print(`   Bob subscribes to Alice's presence: ${describe(await first)}`);

  const online = presenceOf('Alice online', (update) => update.jid === aliceJid && update.available);
  await alice.client.presence.setAvailable();
  print(`   Alice's client goes online; Bob sees: ${describe(await online)}`);

  const states: ChatStateUpdate[] = [];
  let typed = () => {};
  const twoStates = new Promise<void>((resolve) => {
    typed = resolve;
  });
  const off = bob.client.registerChatstateHandler((update) => {
    states.push(update);
    if (states.length === 2) typed();
  });
  await alice.client.sendChatState(bob.phone.jid, 'composing');
  await alice.client.sendChatState(bob.phone.jid, 'paused');
  await within(twoStates, "Alice's chat states reaching Bob");
  off();
  print(
    `   Alice types, then stops; Bob's chat-state handler gets: ${states.map((s) => s.state).join(', ')}`,
  );

  const offline = presenceOf('Alice offline', (update) => update.jid === aliceJid && !update.available);
  await alice.client.presence.setUnavailable();
  print(`   Alice's client goes offline; Bob sees: ${describe(await offline)}`);

  await alice.client.setPrivacySetting('last', 'none');
  const hiddenBack = presenceOf(
    'Alice online again',
    (update) => update.jid === aliceJid && update.available,
  );
  await alice.client.presence.setAvailable();
  await hiddenBack;
  const hidden = presenceOf('Alice offline again', (update) => update.jid === aliceJid && !update.available);
  await alice.client.presence.setUnavailable();
  print(
    `   Alice hides her last seen (privacy "last" = ${(await alice.client.fetchPrivacySettings()).getValue('last')}) ` +
      `and goes offline again; Bob sees: ${describe(await hidden)}`,
  );
  await alice.client.setPrivacySetting('last', 'all');

  await bob.client.blocking.block(aliceJid);
  print(
    `   Bob blocks Alice: isBlocked = ${await bob.client.blocking.isBlocked(aliceJid)}, ` +
      `his blocklist [${(await bob.client.blocking.getBlocklist()).jids.join(', ')}] (Alice by her LID)`,
  );
  await bob.client.blocking.unblock(aliceJid);
  print(`   Bob unblocks her: isBlocked = ${await bob.client.blocking.isBlocked(aliceJid)}`);
}

function describe(update: PresenceUpdate): string {
  if (update.available) return `${update.jid} is online`;
  if (update.lastSeen === undefined) return `${update.jid} is offline, no last seen shown`;
  return `${update.jid} is offline, last seen ${new Date(update.lastSeen * 1000).toISOString()}`;
}
