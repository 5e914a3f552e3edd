/**
 * `npm start`: two people message each other through the embedded server, all on this machine.
 * Alice's and Bob's clients, each with its own SQLite file, link by QR code through their
 * virtual phones, exchange messages with receipts coming back, use the features beside messaging
 * (contacts, presence, chat state, privacy, blocking), make a group and write to it, Bob's client catches up on what
 * arrived while it was offline, and after both "processes" restart from their database files the
 * conversation goes on on the same Signal sessions, without pairing again.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startServer, type WaServer } from '@wakit/server';
import { type Account, CAST, formatNumber } from './cast';
import { featuresDemo } from './features-demo';
import { groupsDemo } from './groups-demo';
import type { Output } from './narration';
import { Person } from './person';

const toHex = (bytes: Uint8Array) => Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('');

export interface MessagingDemoOptions {
  /** Where each line goes; `console.log` by default. */
  print?: (line: string) => void;
  /** Where anything that went wrong goes (client errors, unreadable messages); `console.error` by default. */
  warn?: (line: string) => void;
  /** Draw Alice's QR code (default true). */
  showQr?: boolean;
}

/** What the demo did, for its test: the temporary directory it used (removed by the time this resolves). */
export interface MessagingDemoResult {
  directory: string;
}

/** Runs the story and resolves once everything it started is closed and its files are removed. */
export async function messagingDemo(options: MessagingDemoOptions = {}): Promise<MessagingDemoResult> {
  const output: Output = { print: options.print ?? console.log, warn: options.warn ?? console.error };
  const { print } = output;
  const directory = await mkdtemp(join(tmpdir(), 'wakit-demo-'));
  let server: WaServer | undefined;
  const people: Person[] = [];
  try {
    server = await startServer({ host: '127.0.0.1', port: 0 });
    print(`1. An embedded WhatsApp-protocol server listens on ${server.url}`);
    print(`   clients check its certificate chain against its test root ${toHex(server.rootPublicKey)}`);
    const accounts: Account[] = [];
    for (const { name, phoneNumber } of CAST) {
      const phone = await server.phones.create(phoneNumber);
      accounts.push({ name, phoneNumber, lid: phone.lid });
      people.push(
        new Person(server, phone, name, join(directory, `${name.toLowerCase()}.db`), accounts, output),
      );
      print(
        `   ${name}'s virtual phone owns the account ${formatNumber(phoneNumber)} (${phone.jid}, ${phone.lid})`,
      );
    }
    const [alice, bob] = people as [Person, Person];

    print(
      `\n2. Alice's and Bob's clients start with empty SQLite stores in ${directory} and link by QR code`,
    );
    await alice.link(options.showQr ?? true);
    await bob.link(false);

    print('\n3. Alice writes to Bob; Bob reads it and answers');
    await conversation(alice, bob, "Hi Bob, it's Alice, from my new linked device.", 'Hi Alice! Got it.');

    print('\n4. The features beside messaging: contacts, presence, chat state, privacy, blocking');
    await featuresDemo(server, alice, bob, output);

    print('\n5. A group: created, written to by both, renamed');
    await groupsDemo(alice, bob, output);

    print("\n6. Bob's client goes offline; Alice writes three times; Bob's client comes back and catches up");
    await offlineCatchUp(alice, bob);

    print('\n7. Both processes restart: new clients on the same database files, no QR code, no pairing');
    await alice.restart();
    await bob.restart();
    await conversation(
      alice,
      bob,
      'Still there after the restart?',
      'Yes: same sessions, nothing paired again.',
    );
  } finally {
    for (const person of people) await person.stop();
    await server?.close();
    await rm(directory, { recursive: true, force: true });
  }
  print(`\n8. Everything closed: both clients and their stores, the server; ${directory} removed.`);
  return { directory };
}

/**
 * `from` writes to `to`, who reads it and answers in the chat the message came from. Each side's
 * receipts are printed once every device has answered: the peer's phone and client, and the
 * sender's own phone, which gets a copy of everything its companion sends. Waiting for all of
 * them also means nothing is in flight when a step ends and a client stops: a stanza still being
 * handled by a client the user disconnects gets its ack cut short, which the client reports.
 */
async function conversation(from: Person, to: Person, text: string, reply: string): Promise<void> {
  const arriving = to.messages(1);
  const id = await from.send(to, text);
  const [{ info }] = (await arriving) as [Awaited<typeof arriving>[0]];
  await to.client.markRead(info.chat, [info.id]);
  await from.printReceipts(
    [id],
    [
      ['delivery', to.device('phone')],
      ['delivery', to.device('client')],
      ['read', to.device('client')],
      ['sender', from.device('phone')],
    ],
  );

  const answering = from.messages(1);
  const replyId = await to.send(from, reply, info.chat);
  await answering;
  await to.printReceipts(
    [replyId],
    [
      ['delivery', from.device('phone')],
      ['delivery', from.device('client')],
      ['sender', to.device('phone')],
    ],
  );
}

/**
 * `to`'s client disconnects; `from` sends three messages, which the server acks and queues for it
 * (its phone, always online, receives them at once); `to` connects again and the queue arrives.
 */
async function offlineCatchUp(from: Person, to: Person): Promise<void> {
  await to.goOffline();
  const ids: string[] = [];
  for (const text of ['Are you there?', "I'll leave these with the server.", 'Read them when you are back.'])
    ids.push(await from.send(to, text));
  await from.printReceipts(ids, [
    ['delivery', to.device('phone')],
    ['sender', from.device('phone')],
  ]);
  const arriving = to.messages(ids.length);
  await to.comeBack();
  await arriving;
  await from.printReceipts(ids, [['delivery', to.device('client')]]);
}
