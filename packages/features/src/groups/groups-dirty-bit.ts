/**
 * The `groups` dirty bit (docs/protocol.md §7.6): the server's word that the groups this account
 * is in changed while this device was away; it resends the bit at every login until a device
 * cleans it. Handled as Baileys does: the participating groups fetched again (`refetch`, which
 * refreshes the groups module's cache), the members messaging keeps for sending dropped (so no
 * send goes out on a list that missed a change), `groups-refreshed` emitted, then the bit cleaned.
 * A failed fetch cleans nothing, so the next login brings the bit again. whatsapp-rust only cleans.
 *
 * Off the stanza lane, and not claimed: the account module, if mounted, still emits its `dirty`
 * event, whichever of the two was mounted first.
 */
import type { ModuleHost, StanzaHandler } from '@wakit/client';
import { buildCleanDirtyBits, parseDirtyBits } from '../account/dirty-wire';
import type { GroupMetadata } from './group-metadata';

/**
 * After a `groups` dirty bit: the groups this account is in as the server listed them, the cache
 * refreshed from them, before the bit is cleaned.
 */
export interface GroupsRefreshedEvent {
  groups: GroupMetadata[];
}

/** The `<ib><dirty type="groups">` handler; `refetch` lists the participating groups. */
export function groupsDirtyBitHandler(
  host: ModuleHost,
  refetch: () => Promise<GroupMetadata[]>,
): StanzaHandler {
  return {
    name: 'groups:dirty',
    match: { tag: 'ib', child: 'dirty' },
    handle: ({ node }) => {
      for (const bit of parseDirtyBits(node)) {
        if (bit.type !== 'groups') continue;
        host.background('refreshing the groups after a groups dirty bit', async () => {
          const groups = await refetch();
          await host.forgetGroupParticipants();
          host.emit('groups-refreshed', { groups } satisfies GroupsRefreshedEvent);
          await host.query(buildCleanDirtyBits([bit]));
        });
      }
      return false;
    },
  };
}
