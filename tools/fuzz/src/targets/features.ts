/**
 * The features target: one stanza to a logged-in client with every feature module of
 * `@wakit/features` mounted (wakit's `createClient`), over a real Noise session
 * (`_scripted-client.ts`). Its seeds are what those modules read from the server: `w:gp2` group
 * changes of every kind, picture notifications, the blocklist and privacy in `account_sync`,
 * trusted-contact tokens, the default disappearing mode, dirty bits, presence and chat state. The
 * client target covers the core; this one the handlers the modules add on top of it.
 */
import { encodeNode, fromXml } from '@wakit/binary-node';
import { createClient } from 'wakit';
import type { FuzzTarget } from '../target';
import { deliver, SETTLE_MS } from './_scripted-client';

const G = '120363000000000001@g.us';
/** A `w:gp2` notification from the group, by a member known by LID and phone number. */
const gp2 = (children: string, attrs = 'participant="100@lid" participant_pn="15550001@s.whatsapp.net"') =>
  `<notification from="${G}" type="w:gp2" id="n1" t="1700000100" ${attrs}>${children}</notification>`;

const FEATURE_SEEDS: string[] = [
  gp2(
    '<create reason="invite" key="k"><group id="120363000000000001" subject="Team" creation="1700000000" creator="100@lid">' +
      '<participant jid="100@lid" type="superadmin"/><participant jid="101@lid" phone_number="15550002@s.whatsapp.net"/>' +
      '<description id="D1"><body>About</body></description><locked/><announcement/><ephemeral expiration="86400"/>' +
      '</group></create>',
    'participant="100@lid" addressing_mode="lid"',
  ),
  gp2(
    '<add><participant jid="102@lid" phone_number="15550003@s.whatsapp.net"/></add>' +
      '<promote><participant jid="102@lid"/></promote><demote><participant jid="101@lid"/></demote>',
  ),
  gp2('<remove><participant jid="100@lid"/></remove>'),
  gp2('<leave><participant jid="101@lid"/></leave>'),
  gp2('<subject subject="New name" s_t="1700000100" s_o="100@lid"/>'),
  gp2('<description id="D2"><body>New about</body></description>'),
  gp2('<description id="D3" delete="true"/>'),
  gp2(
    '<announcement/><unlocked/><not_ephemeral/><membership_approval_mode><group_join state="on"/></membership_approval_mode>' +
      '<member_add_mode>all_member_add</member_add_mode><invite code="AbCdEf123456"/>',
  ),
  gp2(
    '<created_membership_requests request_method="invite_link"><requested_user jid="103@lid" phone_number="15550004@s.whatsapp.net"/></created_membership_requests>' +
      '<revoked_membership_requests><participant jid="104@lid"/></revoked_membership_requests>',
  ),
  '<notification from="15550002@s.whatsapp.net" type="picture" id="n2" t="1700000101"><set jid="15550002@s.whatsapp.net" id="1700000101"/></notification>',
  `<notification from="${G}" type="picture" id="n3" t="1700000102"><set jid="${G}" id="7" author="100@lid"/><delete jid="${G}"/></notification>`,
  '<notification from="s.whatsapp.net" type="account_sync" id="n4"><blocklist dhash="c" prev_dhash="b"><item jid="1:2@lid" action="unblock"/><item jid="5@lid" action="block"/></blocklist></notification>',
  '<notification from="s.whatsapp.net" type="account_sync" id="n5"><privacy><category name="last" value="contact_blacklist" dhash="9"/><category name="online" value="all"/></privacy></notification>',
  '<notification from="200@lid" type="privacy_token" id="n6" t="1700000103"><tokens><token type="trusted_contact" t="1700000103">dG9rZW4</token></tokens></notification>',
  '<notification from="s.whatsapp.net" type="disappearing_mode" id="n7"><disappearing_mode duration="86400" t="1700000000"/></notification>',
  '<ib from="s.whatsapp.net"><dirty type="account_sync" timestamp="1700000000"/><dirty type="groups"/></ib>',
  '<presence from="15550002@s.whatsapp.net" type="unavailable" last="1700000000"/>',
  '<chatstate from="15550002@s.whatsapp.net"><composing media="audio"/></chatstate>',
  `<chatstate from="${G}" participant="100@lid"><paused/></chatstate>`,
];

/** This package's targets, under the name every targets module exports (a worker imports `TARGETS`). */
export const TARGETS: FuzzTarget[] = [
  {
    name: 'features/logged-in',
    slowMs: SETTLE_MS,
    smokeExecutions: 200,
    async seeds() {
      return FEATURE_SEEDS.map((xml) => encodeNode(fromXml(xml)));
    },
    run: (input) => deliver(input, { paired: true, create: createClient }),
  },
];
