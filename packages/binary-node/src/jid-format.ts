/**
 * The canonical string form of a JID, `[integrator-]user[.agent][:device]@server` or `@server`:
 * what the codec writes as a JID and renders JID tags as.
 */
import { isAdServer, type Jid, SERVERS } from './jid';
import { ENDS_LIKE_AGENT, SERVER_SYNTAX, USER_SYNTAX } from './jid-parse';

/**
 * Renders `jid` canonically: `integrator-` only on `interop` when integrator > 0; `.agent` only when
 * agent > 0 and the server is not s.whatsapp.net/lid/hosted/hosted.lid (their AD_JID domain byte
 * replaces it, docs/protocol.md §4.2); `:device` only when device > 0 (on `msgr` too, as the decoder
 * renders it). Every `Jid` renders; only a canonical one (`isCanonicalJid`) reads back equal.
 *
 * A server-only JID renders as `@server`, which the encoder writes as JID_PAIR(LIST_EMPTY, server)
 * (`fa 00 03` for `@s.whatsapp.net`, what WhatsApp sends); bare `s.whatsapp.net` would be token 0x03.
 *
 * @example
 * formatJid(parseJid('123:0@s.whatsapp.net')); // '123@s.whatsapp.net'
 * formatJid(SERVER_JID);                        // '@s.whatsapp.net'
 */
export function formatJid(jid: Jid): string {
  if (jid.user === '') return `@${jid.server}`;
  return `${integratorPrefix(jid)}${jid.user}${rendersAgent(jid) ? `.${jid.agent}` : ''}${
    jid.device > 0 ? `:${jid.device}` : ''
  }@${jid.server}`;
}

/**
 * The "AD string" `user.agent:device@server`, always with agent and device (docs/protocol.md §4.2), as
 * hashed into the group participant hash. The agent is 0 on s.whatsapp.net/lid/hosted/hosted.lid
 * whatever the field holds (WA Web writes a literal `.0`); a server-only JID renders as `@server`.
 *
 * @example
 * toAdString(parseJid('123@s.whatsapp.net')); // '123.0:0@s.whatsapp.net'
 */
export function toAdString(jid: Jid): string {
  if (jid.user === '') return `@${jid.server}`;
  const agent = isAdServer(jid.server) ? 0 : jid.agent;
  return `${integratorPrefix(jid)}${jid.user}.${agent}:${jid.device}@${jid.server}`;
}

/**
 * True when `formatJid(jid)` reads back equal: user and server in the `parseJid` grammar, parts
 * in range, and nothing set that the string cannot show (numbers on a server-only JID, an
 * integrator off `interop`, an agent on s.whatsapp.net/lid/hosted/hosted.lid) or would read
 * differently (an `interop` user with a `-` but no integrator).
 *
 * @example
 * isCanonicalJid(parseJid('1.5:2@bot'));            // true
 * isCanonicalJid(parseJid('1.5:2@s.whatsapp.net')); // false: agent 5 is not rendered there
 */
export function isCanonicalJid(jid: Jid): boolean {
  const { user, server, device, agent, integrator } = jid;
  if (typeof user !== 'string' || typeof server !== 'string' || !SERVER_SYNTAX.test(server)) return false;
  if (!inRange(device, 0xffff) || !inRange(agent, 0xff) || !inRange(integrator, 0xffff)) return false;
  if (user === '') return device === 0 && agent === 0 && integrator === 0;
  if (!USER_SYNTAX.test(user)) return false;
  if (server === SERVERS.interop) {
    if (integrator === 0 && user.includes('-')) return false;
  } else if (integrator !== 0) {
    return false;
  }
  return !ENDS_LIKE_AGENT.test(user) && (agent === 0 || !isAdServer(server));
}

function inRange(value: number, max: number): boolean {
  return Number.isInteger(value) && value >= 0 && value <= max;
}

function integratorPrefix(jid: Jid): string {
  return jid.server === SERVERS.interop && jid.integrator > 0 ? `${jid.integrator}-` : '';
}

function rendersAgent(jid: Jid): boolean {
  return jid.agent > 0 && !isAdServer(jid.server);
}
