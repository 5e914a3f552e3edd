/**
 * The demo's group step: Alice creates a group with Bob through `client.groups`, both write to it
 * with `sendMessage` (one skmsg each, their sender keys handed over pairwise the first time), and
 * Alice renames it, which reaches Bob as a `group-updated` event.
 */
import type { GroupMetadata } from 'wakit';
import { nextEvent } from './deadline';
import type { Output } from './narration';
import type { Person } from './person';

/** Runs the step; every wait has the demo's deadline. */
export async function groupsDemo(alice: Person, bob: Person, { print }: Output): Promise<void> {
  const created = nextEvent(bob.client, 'group-created', "the group reaching Bob's client");
  const group = await alice.client.groups.createGroup({
    subject: 'wakit demo',
    participants: [bob.phone.jid],
  });
  const seen = (await created) as GroupMetadata;
  print(
    `   Alice creates the group ${group.jid} "${group.subject}"; Bob's client gets group-created with ` +
      `${seen.participants.length} participants, Alice ${describeAdmin(seen, alice)}`,
  );

  for (const [from, to, text] of [
    [alice, bob, 'Hello group!'],
    [bob, alice, 'Hi all, got it.'],
    [alice, bob, 'Second message: no key to hand over this time.'],
  ] as const) {
    const arriving = to.messages(1);
    print(`   ${from.name} → the group: "${text}"`);
    await from.client.sendMessage(group.jid, { conversation: text });
    await arriving;
  }

  const renamed = nextEvent(bob.client, 'group-updated', 'the new subject reaching Bob');
  await alice.client.groups.setSubject(group.jid, 'wakit demo (renamed)');
  const update = (await renamed) as { subject?: string };
  print(`   Alice renames it; Bob's client gets group-updated with subject "${update.subject}"`);
}

function describeAdmin(group: GroupMetadata, person: Person): string {
  const admin = group.participants.find(
    (p) => p.phoneNumber === person.phone.jid || p.jid === person.phone.jid,
  )?.admin;
  return admin === undefined ? 'a member' : `the ${admin}`;
}
