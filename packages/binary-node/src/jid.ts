/**
 * The JID model, the servers of docs/protocol.md §4.1 and the well-known JIDs. Parsing, formatting,
 * comparisons and predicates live in the `jid-*.ts` files next to this one.
 */

/**
 * A WhatsApp address. Numeric parts that a JID does not carry are 0, never undefined, so two JIDs
 * can be compared field by field.
 *
 * - `user`: '' for a server-only JID (`@s.whatsapp.net`, the IQ target).
 * - `device`: 0..65535; 0 is the primary device (and what every non-device JID has).
 * - `agent`: 0..255. Only rendered on servers other than s.whatsapp.net, lid, hosted and
 *   hosted.lid: on those the AD_JID domain byte takes the agent's place on the wire (§4.2).
 * - `integrator`: 1..65535 on `interop` JIDs that name one, else 0.
 */
export interface Jid {
  readonly user: string;
  readonly server: string;
  readonly device: number;
  readonly agent: number;
  readonly integrator: number;
}

/**
 * Every server a WhatsApp JID is known to use (docs/protocol.md §4.1). Names keep the protocol's terms
 * (`pn`, `lid`, `msgr`); `legacyUser` is the old `c.us` spelling of `pn`.
 */
export const SERVERS = {
  pn: 's.whatsapp.net', // phone-number users; also the server JID `@s.whatsapp.net`
  lid: 'lid',
  group: 'g.us',
  broadcast: 'broadcast', // broadcast lists and `status@broadcast`
  newsletter: 'newsletter', // channels
  legacyUser: 'c.us', // still used in QR, prekey and usync contexts
  hosted: 'hosted', // hosted (Cloud API) accounts, PN form
  hostedLid: 'hosted.lid', // hosted (Cloud API) accounts, LID form
  msgr: 'msgr', // Messenger (FB_JID on the wire)
  interop: 'interop', // INTEROP_JID on the wire
  bot: 'bot', // Meta AI
  call: 'call',
} as const;

/** One of the servers in `SERVERS`. */
export type KnownServer = (typeof SERVERS)[keyof typeof SERVERS];

const KNOWN_SERVER_SET: ReadonlySet<string> = /* @__PURE__ */ new Set(Object.values(SERVERS));

/**
 * True when `server` is one of `SERVERS`. `parseJid` also accepts unknown servers, so that a new
 * one does not break parsing; check with this where only real ones will do.
 *
 * @example
 * isKnownServer('g.us'); // true
 * isKnownServer(parseJid('a@example.com').server); // false
 */
export function isKnownServer(server: string): server is KnownServer {
  return KNOWN_SERVER_SET.has(server);
}

/** Optional numeric parts of `createJid`. */
export interface JidParts {
  device?: number;
  agent?: number;
  integrator?: number;
}

/**
 * Builds a `Jid` with the numeric parts defaulted to 0; RangeError for a part out of range.
 *
 * @example
 * createJid('123', SERVERS.pn, { device: 2 }); // 123:2@s.whatsapp.net
 */
export function createJid(user: string, server: string, parts: JidParts = {}): Jid {
  const { device = 0, agent = 0, integrator = 0 } = parts;
  checkRange('device', device, 0xffff);
  checkRange('agent', agent, 0xff);
  checkRange('integrator', integrator, 0xffff);
  return { user, server, device, agent, integrator };
}

/** Throws RangeError unless `value` is an integer in 0..max. */
export function checkRange(name: string, value: number, max: number): void {
  if (!Number.isInteger(value) || value < 0 || value > max) {
    throw new RangeError(`"${name}" expected an integer in 0..${max}, got ${value}`);
  }
}

function wellKnown(user: string, server: string): Jid {
  return Object.freeze({ user, server, device: 0, agent: 0, integrator: 0 });
}

/** `@s.whatsapp.net`: the server itself, the `to` of most IQs. */
export const SERVER_JID: Jid = /* @__PURE__ */ wellKnown('', SERVERS.pn);
/** `status@broadcast`: where status updates are sent. */
export const STATUS_BROADCAST_JID: Jid = /* @__PURE__ */ wellKnown('status', SERVERS.broadcast);
/** `0@s.whatsapp.net`: the PSA (WhatsApp announcements) account. */
export const PSA_JID: Jid = /* @__PURE__ */ wellKnown('0', SERVERS.pn);
/** `16505361212@c.us`: the official WhatsApp business account, in its legacy spelling. */
export const OFFICIAL_BUSINESS_JID: Jid = /* @__PURE__ */ wellKnown('16505361212', SERVERS.legacyUser);
/** `13135550002@s.whatsapp.net`: Meta AI. */
export const META_AI_JID: Jid = /* @__PURE__ */ wellKnown('13135550002', SERVERS.pn);

/** AD_JID domain bytes (docs/protocol.md §4.3): bit 0 = LID, bit 7 = hosted. */
export const DOMAIN_TYPES = {
  pn: 0,
  lid: 1,
  hosted: 128,
  hostedLid: 129,
} as const;

/** Each AD server with its domain byte: the one table both lookups below read. */
const AD_DOMAINS: readonly (readonly [string, number])[] = [
  [SERVERS.pn, DOMAIN_TYPES.pn],
  [SERVERS.lid, DOMAIN_TYPES.lid],
  [SERVERS.hosted, DOMAIN_TYPES.hosted],
  [SERVERS.hostedLid, DOMAIN_TYPES.hostedLid],
];
const DOMAIN_BY_SERVER: ReadonlyMap<string, number> = /* @__PURE__ */ new Map(AD_DOMAINS);
const SERVER_BY_DOMAIN: ReadonlyMap<number, string> = /* @__PURE__ */ new Map(
  AD_DOMAINS.map(([server, domain]) => [domain, server]),
);

/**
 * The server an AD_JID domain byte stands for, or undefined for a byte no reference defines
 * (whatsmeow and Baileys fall back to s.whatsapp.net there; that policy is the decoder's call).
 */
export function serverForDomainType(domain: number): string | undefined {
  return SERVER_BY_DOMAIN.get(domain);
}

/** The AD_JID domain byte of `server`, or undefined for servers whose JIDs have no AD form. */
export function domainTypeOfServer(server: string): number | undefined {
  return DOMAIN_BY_SERVER.get(server);
}

/** True for the four servers whose device JIDs travel as AD_JID, where the agent is not rendered. */
export function isAdServer(server: string): boolean {
  return DOMAIN_BY_SERVER.has(server);
}
