/**
 * A virtual phone: the primary device of one account. It owns the account's identity key (whose
 * public half is the `accountSignatureKey` of every companion it links), scans QR codes, accepts
 * pair codes, and removes linked devices, as the WhatsApp app on a phone does.
 */

import type { KeyPair } from '@wakit/crypto';
import { equalBytes } from './_bytes';
import { PhonePairingError } from './errors';
import { SERVER_JID, unixSeconds } from './nodes';
import { normalizePairCode, unwrapEphemeral, wrapEphemeral } from './pair-code-crypto';
import { parseQr } from './qr';
import { type DeviceRecord, deviceJid, deviceLid, type ServerState } from './server-state';

/** The account material of a phone. */
export interface PhoneAccount {
  phoneNumber: string;
  /** The account's LID user part. */
  lidUser: string;
  /** The Signal identity key pair: the account signature key. */
  identity: KeyPair;
  registrationId: number;
}

/** One account's primary device. Create them with `server.phones.create(...)`. */
export class VirtualPhone {
  readonly #state: ServerState;
  readonly #account: PhoneAccount;

  /** @internal Built by `Phones.create`. */
  constructor(state: ServerState, account: PhoneAccount) {
    this.#state = state;
    this.#account = account;
  }

  /** The phone number (digits only), the user part of every PN JID of the account. */
  get phoneNumber(): string {
    return this.#account.phoneNumber;
  }

  /** `<phone>@s.whatsapp.net`: the phone itself (device 0). */
  get jid(): string {
    return deviceJid(this.#account.phoneNumber, 0);
  }

  /** `<lid>@lid`: the account's LID. */
  get lid(): string {
    return deviceLid(this.#account.lidUser, 0);
  }

  /** The identity key pair: its public key is what companions see as `accountSignatureKey`. */
  get identity(): KeyPair {
    return this.#account.identity;
  }

  get registrationId(): number {
    return this.#account.registrationId;
  }

  /** Companions linked to this account and not removed. */
  get devices(): DeviceRecord[] {
    return [...this.#state.devices.values()].filter(
      (d) => d.phoneNumber === this.phoneNumber && d.device !== 0 && !d.removed,
    );
  }

  /**
   * Scans a companion's QR code: finds the connection that was issued its ref, checks the QR's
   * noise key is that connection's Noise static key, and pairs it (docs/protocol.md §5.3).
   * Resolves with the new device's JID once the companion's pair-device-sign verifies.
   *
   * @throws PhonePairingError `malformed-qr`, `unknown-ref`, `noise-key-mismatch`, or whatever the
   *   pairing itself fails with (`device-signature`, `details-changed`, `rejected`, `closed`, `timeout`).
   * @example
   * ```ts
   * const jid = await phone.scanQr(qrFromCompanion); // '15550001234:1@s.whatsapp.net'
   * ```
   */
  async scanQr(qr: string): Promise<string> {
    const data = parseQr(qr);
    const target = this.#state.refs.get(data.ref);
    if (target === undefined) {
      throw new PhonePairingError('unknown-ref', `no waiting connection holds ref "${data.ref}"`);
    }
    const noiseKey = target.noiseKey;
    if (noiseKey === undefined || !equalBytes(noiseKey, data.noiseKey)) {
      throw new PhonePairingError(
        'noise-key-mismatch',
        "the QR's noise key is not the connection's Noise static key",
      );
    }
    return target.pair({
      phoneNumber: this.phoneNumber,
      advSecret: data.advSecret,
      companionIdentity: data.identityKey,
      platform: data.platform,
    });
  }

  /**
   * Types the 8-character code a companion shows (`ABCD-EFGH` or `ABCDEFGH`) into this phone:
   * unwraps the companion's ephemeral key with it and sends the companion `primary_hello`
   * (docs/protocol.md §5.4). Resolves with the device JID after `companion_finish` and pair-success.
   * A mistyped code is only detected when the companion's key bundle fails to decrypt.
   *
   * @throws PhonePairingError `no-pair-code-request` when no companion asked to link this number,
   *   `key-bundle` for a wrong code, or a pairing failure.
   */
  async enterPairCode(code: string): Promise<string> {
    const request = this.#state.pairCodeRequests.get(this.phoneNumber);
    if (request === undefined) {
      throw new PhonePairingError(
        'no-pair-code-request',
        `no companion asked to link ${this.phoneNumber} with a code`,
      );
    }
    const { crypto } = this.#state;
    const normalized = normalizePairCode(code);
    const companionEphemeral = await unwrapEphemeral(crypto, normalized, request.wrappedCompanionEphemeral);
    const primaryEphemeral = await crypto.generateKeyPair();
    const wrapped = await wrapEphemeral(crypto, normalized, primaryEphemeral.publicKey);
    return new Promise<string>((resolve, reject) => {
      request.primaryHello = { primaryEphemeral, companionEphemeral, resolve, reject };
      request.target.send({
        tag: 'notification',
        attrs: {
          from: SERVER_JID,
          type: 'link_code_companion_reg',
          id: this.#state.nextStanzaId(),
          t: unixSeconds(this.#state.options.now()),
        },
        content: [
          {
            tag: 'link_code_companion_reg',
            attrs: { stage: 'primary_hello' },
            content: [
              { tag: 'link_code_pairing_ref', attrs: {}, content: new TextEncoder().encode(request.ref) },
              { tag: 'link_code_pairing_wrapped_primary_ephemeral_pub', attrs: {}, content: wrapped },
              { tag: 'primary_identity_pub', attrs: {}, content: this.identity.publicKey },
            ],
          },
        ],
      });
    });
  }

  /**
   * Unlinks a companion: its live connection gets `<stream:error code="401"><conflict
   * type="device_removed"/>` and later logins get the same. Returns false for an unknown JID.
   */
  removeDevice(jid: string): boolean {
    const record = this.#state.devices.get(jid);
    if (record === undefined || record.phoneNumber !== this.phoneNumber || record.device === 0) return false;
    record.removed = true;
    this.#state.live.get(jid)?.kick(401, 'device_removed');
    return true;
  }
}
