/**
 * The registry of virtual phones: `server.phones.create('15550001234')` makes an account with a
 * fresh identity, registration id, signed prekey and a batch of one-time prekeys (whose private
 * halves the phone keeps), so companions fetch the phone's bundle (device 0) like any other
 * device's and start sessions with it.
 */
import { generateRegistrationId } from '@wakit/signal';
import { VirtualPhone } from './phone';
import { PHONE_PREKEY_COUNT, PhoneSignal } from './phone-signal';
import { type DeviceRecord, deviceJid, deviceLid, type ServerState } from './server-state';

export { PHONE_PREKEY_COUNT } from './phone-signal';

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
    // The phone keeps the private halves of what it publishes, so a companion's pkmsg to device 0
    // decrypts (phone-signal.ts).
    const signal = await PhoneSignal.create(crypto, identity, registrationId, PHONE_PREKEY_COUNT);
    const record: DeviceRecord = {
      jid: deviceJid(number, 0),
      lid: deviceLid(lidUser, 0),
      phoneNumber: number,
      device: 0,
      noiseKey: undefined,
      deviceIdentity: undefined,
      platform: 'android',
      keys: signal.keys,
      removed: false,
    };
    this.#state.devices.set(record.jid, record);
    const phone = new VirtualPhone(
      this.#state,
      { phoneNumber: number, lidUser, identity, registrationId },
      record,
      signal,
    );
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
