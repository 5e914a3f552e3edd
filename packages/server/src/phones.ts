/**
 * The registry of virtual phones: `server.phones.create('15550001234')` makes an account with a
 * fresh identity, registration id, signed prekey and a batch of one-time prekeys, so companions
 * can fetch the phone's bundle (device 0) like any other device's.
 */
import { generatePreKeys, generateRegistrationId, generateSignedPreKey } from '@wakit/signal';
import { DeviceKeys } from './device-keys';
import { VirtualPhone } from './phone';
import { deviceJid, deviceLid, type ServerState } from './server-state';

/** One-time prekeys a new phone publishes. */
export const PHONE_PREKEY_COUNT = 20;

/** Options of `phones.create`. */
export interface CreatePhoneOptions {
  /** The account's LID user part; random 15 digits by default. */
  lidUser?: string;
}

/** The phones of one server. */
export class Phones {
  readonly #state: ServerState;
  readonly #phones = new Map<string, VirtualPhone>();

  /** @internal Built by `startServer`. */
  constructor(state: ServerState) {
    this.#state = state;
  }

  /**
   * A new account for `phoneNumber` (digits, optionally with a leading `+`).
   *
   * @throws RangeError for a number that is not 5–20 digits, or one that already has a phone.
   */
  async create(phoneNumber: string, options: CreatePhoneOptions = {}): Promise<VirtualPhone> {
    const number = phoneNumber.replace(/^\+/, '');
    if (!/^\d{5,20}$/.test(number))
      throw new RangeError(`"phoneNumber" expected 5-20 digits, got "${phoneNumber}"`);
    if (this.#phones.has(number)) throw new RangeError(`phone ${number} already exists`);
    const { crypto } = this.#state;
    const identity = await crypto.generateKeyPair();
    const registrationId = generateRegistrationId(crypto);
    const lidUser = options.lidUser ?? randomDigits(crypto.randomBytes(15));
    const phone = new VirtualPhone(this.#state, { phoneNumber: number, lidUser, identity, registrationId });
    const signed = await generateSignedPreKey(identity, 1, crypto);
    const keys = new DeviceKeys(registrationId, identity.publicKey, {
      id: signed.keyId,
      publicKey: signed.keyPair.publicKey,
      signature: signed.signature,
    });
    const preKeys = await generatePreKeys(1, PHONE_PREKEY_COUNT, crypto);
    keys.upload({
      registrationId,
      identity: identity.publicKey,
      signedPreKey: keys.signedPreKey,
      preKeys: preKeys.map((k) => ({ id: k.keyId, publicKey: k.keyPair.publicKey })),
    });
    this.#state.devices.set(deviceJid(number, 0), {
      jid: deviceJid(number, 0),
      lid: deviceLid(lidUser, 0),
      phoneNumber: number,
      device: 0,
      noiseKey: undefined,
      deviceIdentity: undefined,
      platform: 'android',
      keys,
      removed: false,
    });
    this.#state.phoneIdentities.set(number, identity);
    this.#phones.set(number, phone);
    return phone;
  }

  /** The phone of `phoneNumber`, if created. */
  get(phoneNumber: string): VirtualPhone | undefined {
    return this.#phones.get(phoneNumber.replace(/^\+/, ''));
  }

  /** Every phone, in creation order. */
  list(): VirtualPhone[] {
    return [...this.#phones.values()];
  }
}

function randomDigits(bytes: Uint8Array): string {
  // A leading 1 keeps the LID user 15 digits long and never starting with 0.
  return `1${Array.from(bytes.subarray(1), (b) => String(b % 10)).join('')}`;
}
