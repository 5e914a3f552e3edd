/**
 * The groups module's request plumbing: the typed refusals, the people a request names, our own
 * names, new description ids and the argument checks that are not protocol limits.
 */

import { IqError, type ModuleHost } from '@wakit/client';
import { isWakitError } from '@wakit/errors';
import {
  type GroupInviteRefusal,
  GroupInviteRefusedError,
  GroupNotAdminError,
  GroupNotFoundError,
  NotGroupMemberError,
} from '../errors';
import type { TcTokenApi } from '../tctoken/tctoken-module';
import { checkParticipantJid } from './group-checks';
import { MEMBER_ADD_MODES, type MemberAddMode } from './group-metadata';
import type { GroupParticipantRequest } from './groups-wire';

/** Join refusals by IQ error code (whatsapp-rust GroupJoinError; 406/410 as whatsmeow reads them). */
export const JOIN_REFUSALS: ReadonlyMap<number, GroupInviteRefusal> = new Map([
  [304, 'already-member'],
  [404, 'invalid'],
  [405, 'removed'],
  [406, 'invalid'],
  [410, 'revoked'],
  [419, 'full'],
]);

/** The largest disappearing timer the protocol carries (whatsapp-rust GROUP_EPHEMERAL_EXPIRATION_MAX). */
export const EPHEMERAL_MAX_SECONDS = 2 ** 31 - 1;

/**
 * Runs a request about `group`, turning the refusals a caller branches on into typed errors:
 * 403 (not a member) and 404 (no such group) always, as whatsmeow does for its group getters;
 * 401 (not authorized) as not an admin where the request is one admins make (`adminOnly`).
 */
export async function refusals<T>(group: string, adminOnly: boolean, send: () => Promise<T>): Promise<T> {
  try {
    return await send();
  } catch (error) {
    if (isWakitError(error, IqError)) {
      if (error.errorCode === 403) throw new NotGroupMemberError(group, { cause: error });
      if (error.errorCode === 404) throw new GroupNotFoundError(group, { cause: error });
      if (error.errorCode === 401 && adminOnly) throw new GroupNotAdminError(group, { cause: error });
    }
    throw error;
  }
}

/**
 * Each person checked; for a create or an add (`tokens` given), with the PN beside a LID when the
 * client knows it and the person's valid trusted-contact token when one is held.
 */
export async function participantRequests(
  host: ModuleHost,
  jids: readonly string[],
  tokens?: Pick<TcTokenApi, 'getToken'>,
): Promise<GroupParticipantRequest[]> {
  if (!Array.isArray(jids)) throw new TypeError(`"jids" expected an array of JIDs, got ${typeof jids}`);
  const users = jids.map(checkParticipantJid);
  if (tokens === undefined) return users.map((jid) => ({ jid }));
  return Promise.all(
    users.map(async (jid): Promise<GroupParticipantRequest> => {
      const request: GroupParticipantRequest = { jid };
      const phoneNumber = jid.endsWith('@lid') ? await host.store.lids.getPn(jid) : undefined;
      if (phoneNumber !== undefined) request.phoneNumber = phoneNumber;
      const token = (await tokens.getToken(jid))?.token;
      if (token !== undefined) request.privacyToken = token;
      return request;
    }),
  );
}

/** This account's names (PN and LID device JIDs), to tell when a notification is about us. */
export async function ownNames(host: ModuleHost): Promise<string[]> {
  const account = (await host.store.loadCredentials())?.account;
  return [account?.jid, account?.lid].filter((name): name is string => name !== undefined);
}

/** A new description id: 8 uppercase hex digits, as whatsapp-rust generates them. */
export function descriptionId(host: ModuleHost): string {
  return [...host.crypto.randomBytes(4)]
    .map((b) => b.toString(16).padStart(2, '0'))
    .join('')
    .toUpperCase();
}

export function checkEphemeral(seconds: number): number {
  if (!Number.isInteger(seconds) || seconds < 0 || seconds > EPHEMERAL_MAX_SECONDS) {
    throw new RangeError(
      `"seconds" expected a whole number of seconds from 0 to ${EPHEMERAL_MAX_SECONDS}, got ${seconds}`,
    );
  }
  return seconds;
}

export function checkMemberAddMode(mode: MemberAddMode): MemberAddMode {
  if (!(MEMBER_ADD_MODES as readonly unknown[]).includes(mode)) {
    throw new RangeError(`"mode" expected one of ${MEMBER_ADD_MODES.join(', ')}, got ${String(mode)}`);
  }
  return mode;
}

export function checkBoolean(on: boolean): boolean {
  if (typeof on !== 'boolean') throw new TypeError(`"on" expected a boolean, got ${typeof on}`);
  return on;
}

/**
 * Runs a join, turning whatsapp-rust's GroupJoinError codes into GroupInviteRefusedError.
 */
export async function joinRefusals<T>(code: string, send: () => Promise<T>): Promise<T> {
  try {
    return await send();
  } catch (error) {
    const reason = isWakitError(error, IqError) ? JOIN_REFUSALS.get(error.errorCode) : undefined;
    if (reason !== undefined) throw new GroupInviteRefusedError(code, reason, { cause: error });
    throw error;
  }
}
