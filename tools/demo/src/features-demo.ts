/**
 * The demo's feature step: what `wakit`'s `createClient` mounts beside messaging, used between the
 * two people as an application would. Alice looks up who is on WhatsApp; Bob reads her about text
 * and downloads her profile picture; he watches her presence and sees her come online, type and
 * leave, with her last seen until she hides it; he blocks and unblocks her.
 */
import type { WaServer } from '@wakit/server';
import type { ChatStateUpdate, PresenceUpdate } from 'wakit';
import { formatNumber } from './cast';
import { nextEvent, within } from './deadline';
import type { Output } from './narration';
import type { Person } from './person';

/** Runs the step; every wait has the demo's deadline. */
export async function featuresDemo(
  server: WaServer,
  alice: Person,
  bob: Person,
  output: Output,
): Promise<void> {
  await contacts(server, alice, bob, output);
  await presence(alice, bob, output);
}

/** A made-up number that no account of the story has. */
const STRANGER = '15550009999';

/** A few bytes that pass for a JPEG (the server checks the magic number, nobody decodes it). */
const PICTURE = Uint8Array.of(
  0xff,
  0xd8,
  0xff,
  0xe0,
  ...new TextEncoder().encode("Alice's face"),
  0xff,
  0xd9,
);

async function contacts(server: WaServer, alice: Person, bob: Person, { print }: Output): Promise<void> {
  const found = await alice.client.contacts.isOnWhatsApp([`+${bob.phone.phoneNumber}`, STRANGER]);
  for (const { phone, exists, jid, lid } of found) {
    const number = formatNumber(phone.replace('+', ''));
    print(`   Alice asks whether ${number} is on WhatsApp: ${exists ? `yes, ${jid} (${lid})` : 'no'}`);
  }

  server.profiles.setAbout(alice.phone.phoneNumber, 'Writing a WhatsApp library');
  server.profiles.setPicture(alice.phone.phoneNumber, PICTURE);
  const info = (await bob.client.contacts.getUserInfo([alice.phone.jid])).get(alice.phone.jid);
  print(
    `   Alice's phone sets an about text and a profile picture; Bob's getUserInfo: "${info?.status}", ` +
      `picture ${info?.pictureId}, ${info?.devices.length} devices`,
  );
  const picture = await bob.client.contacts.getProfilePicture(alice.phone.jid);
  const bytes =
    picture === undefined ? undefined : new Uint8Array(await (await fetch(picture.url)).arrayBuffer());
  const same =
    bytes !== undefined && bytes.length === PICTURE.length && bytes.every((b, i) => b === PICTURE[i]);
  print(
    `   Bob downloads her picture from ${picture?.url}: ${bytes?.length} bytes, ${same ? 'the same' : 'NOT the same'}`,
  );
}

async function presence(alice: Person, bob: Person, { print }: Output): Promise<void> {
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
