/**
 * The WhatsApp Web version in WhatsApp Web's service worker script (https://web.whatsapp.com/sw.js),
 * sans-IO. The script embeds the build's revision as `client_revision`, in JSON (`"client_revision":
 * 1045649367`), escaped inside a string (`\"client_revision\":…`) or as a plain key; the version
 * a web client announces is 2.3000.<revision> (whatsapp-rust wacore/src/version.rs `parse_sw_js`,
 * Baileys `fetchLatestWaWebVersion`).
 */

/** A WhatsApp Web version triple, as `createClient({ version })` takes it. */
export type WaVersion = readonly [number, number, number];

/** The primary and secondary parts every WhatsApp Web build since the multi-device era carries. */
const WEB_MAJOR = [2, 3000] as const;

const CLIENT_REVISION = /\\?"?client_revision\\?"?\s*:\s*\\?"?([0-9]+)/;

/**
 * The version in a sw.js body, or undefined when it names none. A revision of 0 or one that does not
 * fit the ClientPayload's uint32 counts as none: the server would refuse it.
 */
export function parseSwJs(body: string): WaVersion | undefined {
  const digits = CLIENT_REVISION.exec(body)?.[1];
  if (digits === undefined) return undefined;
  const revision = Number(digits);
  if (!Number.isSafeInteger(revision) || revision <= 0 || revision > 0xffffffff) return undefined;
  return [WEB_MAJOR[0], WEB_MAJOR[1], revision];
}
