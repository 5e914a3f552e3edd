/**
 * Virtual phones without a server, for `wakit serve`'s console tests: they record what they were
 * given and answer like the real ones (a device JID, or the server's kind of error message).
 */
import type { Phone, PhoneRegistry } from '../src/server-contract';

/** A fake phone: what it scanned and which codes it was given. */
export interface FakePhone extends Phone {
  readonly scanned: string[];
  readonly codes: string[];
  /**
   * Holds this phone's scans and codes until the test calls the returned function, to show that
   * other lines are not queued behind them.
   */
  hold(): () => void;
}

/** A registry of {@link FakePhone}s, with the server's rules for numbers. */
export interface FakePhoneRegistry extends PhoneRegistry {
  create(phoneNumber: string): Promise<FakePhone>;
  get(phoneNumber: string): FakePhone | undefined;
  list(): FakePhone[];
}

/**
 * Fake phones. A QR text whose ref is `unknown` is refused as the server refuses a ref no
 * connection holds; every other scan and code links device 1, 2, … of the account.
 */
export function fakePhones(): FakePhoneRegistry {
  const phones = new Map<string, FakePhone>();
  return {
    async create(phoneNumber) {
      const number = phoneNumber.replace(/^\+/, '');
      if (!/^\d{5,20}$/.test(number)) throw new RangeError(`"phoneNumber" expected 5-20 digits`);
      if (phones.has(number)) throw new RangeError(`phone ${number} already exists`);
      const phone = fakePhone(number);
      phones.set(number, phone);
      return phone;
    },
    get: (phoneNumber) => phones.get(phoneNumber.replace(/^\+/, '')),
    list: () => [...phones.values()],
  };
}

function fakePhone(phoneNumber: string): FakePhone {
  const scanned: string[] = [];
  const codes: string[] = [];
  let devices = 0;
  let held: Promise<void> | undefined;
  const link = async () => {
    await held;
    devices++;
    return `${phoneNumber}:${devices}@s.whatsapp.net`;
  };
  return {
    phoneNumber,
    jid: `${phoneNumber}@s.whatsapp.net`,
    scanned,
    codes,
    async scanQr(qr) {
      scanned.push(qr);
      const ref = qr.replace(/^https:\/\/wa\.me\/settings\/linked_devices#/, '').split(',')[0];
      if (ref === 'unknown') throw new Error('unknown-ref: no waiting connection holds ref "unknown"');
      return link();
    },
    async enterPairCode(code) {
      codes.push(code);
      return link();
    },
    hold() {
      let release!: () => void;
      held = new Promise((resolve) => {
        release = resolve;
      });
      return release;
    },
  };
}
