/**
 * Who a session or a sender key belongs to. The string forms are the store keys, and match
 * libsignal-node's, so a store migrated from it keeps its keys.
 */

/**
 * One device of one user: `name` is the user (for WhatsApp, the JID user part plus any agent suffix
 * the client chooses), `deviceId` the device number.
 *
 * @example
 * new ProtocolAddress('15551234567', 2).toString(); // '15551234567.2'
 */
export class ProtocolAddress {
  constructor(
    readonly name: string,
    readonly deviceId: number,
  ) {
    if (typeof name !== 'string' || name === '' || name.includes('.')) {
      throw new TypeError(`"name" expected a non-empty string without ".", got ${JSON.stringify(name)}`);
    }
    if (!Number.isInteger(deviceId) || deviceId < 0 || deviceId > 0x7fffffff) {
      throw new RangeError(`"deviceId" expected an integer in [0, 2^31-1], got ${deviceId}`);
    }
  }

  /** `name.deviceId`, the key sessions and identities are stored under. */
  toString(): string {
    return `${this.name}.${this.deviceId}`;
  }

  /** Inverse of `toString`. */
  static parse(text: string): ProtocolAddress {
    const dot = text.lastIndexOf('.');
    const deviceId = Number(text.slice(dot + 1));
    if (dot <= 0 || !/^\d+$/.test(text.slice(dot + 1))) {
      throw new TypeError(`"${text}" is not an address of the form name.deviceId`);
    }
    return new ProtocolAddress(text.slice(0, dot), deviceId);
  }

  equals(other: ProtocolAddress): boolean {
    return this.name === other.name && this.deviceId === other.deviceId;
  }
}

/**
 * A sender key's owner: one sender device in one group. For WhatsApp, `groupId` is the group JID
 * (or `status@broadcast`).
 *
 * @example
 * new SenderKeyName('120363025246125486@g.us', new ProtocolAddress('15551234567', 0)).toString();
 * // '120363025246125486@g.us::15551234567::0'
 */
export class SenderKeyName {
  constructor(
    readonly groupId: string,
    readonly sender: ProtocolAddress,
  ) {
    if (typeof groupId !== 'string' || groupId === '')
      throw new TypeError('"groupId" expected a non-empty string');
  }

  /** `groupId::name::deviceId`, the key sender keys are stored under (libsignal-node's form). */
  toString(): string {
    return `${this.groupId}::${this.sender.name}::${this.sender.deviceId}`;
  }
}
