/**
 * Everything we hold for one remote device (libsignal's `SessionRecord`): the open session, if
 * any, and the archived ones, newest first, which are still tried when a message arrives (a peer
 * may have sent on them before it saw a newer session). Immutable: every change returns a new
 * record sharing the unchanged states. `serialize()` gives the bytes a store keeps; the format is
 * documented field by field in `session-record-codec.ts`.
 */
import { constantTimeEqual, copyBytes, equalBytes } from './_bytes';
import { decodeSessionRecord, encodeSessionRecord } from './session-record-codec';
import { MAX_ARCHIVED_STATES, type SessionState } from './session-state';

/**
 * Records by the bytes they were read from or written to. A store that hands back the very array it
 * was given (an in-memory store does) then costs no decoding: records are immutable, so the same
 * object serves again. The snapshot guards against a store that reuses one array for other
 * contents: the cached record is used only while the bytes still equal what it was made from.
 */
const decodedRecords = new WeakMap<Uint8Array, { record: SessionRecord; snapshot: Uint8Array }>();

function remember(bytes: Uint8Array, record: SessionRecord): void {
  decodedRecords.set(bytes, { record, snapshot: copyBytes(bytes) });
}

/** The sessions with one remote device. */
export class SessionRecord {
  /**
   * @param current the open session (what `encrypt` uses), if any.
   * @param previousStates archived sessions, newest first; at most MAX_ARCHIVED_STATES are kept.
   */
  constructor(
    readonly current: SessionState | undefined = undefined,
    readonly previousStates: readonly SessionState[] = [],
  ) {
    if (previousStates.length > MAX_ARCHIVED_STATES)
      this.previousStates = previousStates.slice(0, MAX_ARCHIVED_STATES);
  }

  /**
   * Reads bytes written by `serialize()`.
   *
   * @throws RecordFormatError when they are corrupt or of an unknown format version.
   */
  static deserialize(bytes: Uint8Array): SessionRecord {
    const known = decodedRecords.get(bytes);
    // Constant-time: a record's bytes hold its root and chain keys.
    if (known !== undefined && constantTimeEqual(known.snapshot, bytes)) return known.record;
    const data = decodeSessionRecord(bytes);
    const record = new SessionRecord(data.current, data.previousStates);
    remember(bytes, record);
    return record;
  }

  /** The record in format version 1 (see `session-record-codec.ts`). */
  serialize(): Uint8Array {
    const bytes = encodeSessionRecord({ current: this.current, previousStates: [...this.previousStates] });
    remember(bytes, this);
    return bytes;
  }

  /** True when there is an open session to encrypt with. */
  hasOpenSession(): boolean {
    return this.current !== undefined;
  }

  /** The open session's remote registration id, if there is an open session. */
  get remoteRegistrationId(): number | undefined {
    return this.current?.remoteRegistrationId;
  }

  /** The open session's remote identity key (33 bytes), if there is an open session. */
  get remoteIdentityKey(): Uint8Array | undefined {
    return this.current && copyBytes(this.current.remoteIdentityKey);
  }

  /**
   * This record with the open session archived (libsignal-node `closeSession`, libsignal
   * `archiveCurrentState`): messages on it still decrypt, but nothing is encrypted until a new
   * session is built. Returns this record when there is no open session.
   */
  archiveCurrentState(): SessionRecord {
    if (this.current === undefined) return this;
    return new SessionRecord(undefined, [this.current, ...this.previousStates]);
  }

  /** This record with `state` as the open session and the previous open session archived. */
  promoteState(state: SessionState): SessionRecord {
    const archived = this.archiveCurrentState();
    return new SessionRecord(state, archived.previousStates);
  }

  /**
   * This record with the archived state at `states()[position]` replaced by `state` and made the
   * open session, the previous open session archived in front of the others (libsignal Rust
   * `promote_old_session`, Java `promoteState`): what a decrypt by an archived session does.
   */
  promoteArchivedState(position: number, state: SessionState): SessionRecord {
    const index = this.current === undefined ? position : position - 1;
    if (index < 0 || index >= this.previousStates.length)
      throw new RangeError(`no archived state at ${position}`);
    const others = this.previousStates.filter((_, i) => i !== index);
    return new SessionRecord(state, this.current === undefined ? others : [this.current, ...others]);
  }

  /** Every state, the open one first, then the archived ones newest first. */
  states(): SessionState[] {
    return this.current === undefined ? [...this.previousStates] : [this.current, ...this.previousStates];
  }

  /** This record with the state at `states()[position]` replaced by `state`, in place. */
  replaceState(position: number, state: SessionState): SessionRecord {
    if (this.current !== undefined) {
      if (position === 0) return new SessionRecord(state, this.previousStates);
      position -= 1;
    }
    if (position < 0 || position >= this.previousStates.length)
      throw new RangeError(`no state at ${position}`);
    const previous = this.previousStates.slice();
    previous[position] = state;
    return new SessionRecord(this.current, previous);
  }

  /** Position in `states()` of the session the peer started with this base key (raw), or -1. */
  findPeerSession(baseKey: Uint8Array): number {
    return this.states().findIndex((state) => !state.baseKeyIsOurs && equalBytes(state.baseKey, baseKey));
  }
}
