/**
 * Everything we hold for one remote device (libsignal's `SessionRecord`): the open session, if
 * any, and the archived ones, newest first, which are still tried when a message arrives (a peer
 * may have sent on them before it saw a newer session). Immutable: every change returns a new
 * record sharing the unchanged states. `serialize()` gives the bytes a store keeps; the format is
 * documented field by field in `session-record-codec.ts`.
 */

import { SECRET_SLAB } from './_byte-slabs';
import { constantTimeEqual, copyBytes, equalBytes } from './_bytes';
import { decodeSessionRecord, EncodedState, encodeSessionRecord } from './session-record-codec';
import { MAX_ARCHIVED_STATES, type SessionState } from './session-state';

/**
 * Records by the bytes they were read from or written to. A store that hands back the very array it
 * was given (an in-memory store does) then costs no decoding: records are immutable, so the same
 * object serves again. The snapshot guards against a store that reuses one array for other
 * contents: the cached record is used only while the bytes still equal what it was made from.
 */
const decodedRecords = new WeakMap<Uint8Array, { record: SessionRecord; snapshot: Uint8Array }>();

function remember(bytes: Uint8Array, record: SessionRecord): void {
  decodedRecords.set(bytes, { record, snapshot: SECRET_SLAB.copy(bytes) });
}

type Archived = SessionState | EncodedState;

const stateOf = (entry: Archived): SessionState => (entry instanceof EncodedState ? entry.state : entry);

/** Set by SessionRecord's static block: how the internal functions below make and read records. */
let recordOf: (current: SessionState | undefined, archived: readonly Archived[]) => SessionRecord;
let archivedOf: (record: SessionRecord) => readonly Archived[];

/** The sessions with one remote device. */
export class SessionRecord {
  /** The open session (what `encrypt` uses), if any. */
  readonly current: SessionState | undefined;
  #archived: readonly Archived[];
  #previousStates: readonly SessionState[] | undefined;

  /**
   * @param current the open session (what `encrypt` uses), if any.
   * @param previousStates archived sessions, newest first; at most MAX_ARCHIVED_STATES are kept.
   */
  constructor(current: SessionState | undefined = undefined, previousStates: readonly SessionState[] = []) {
    this.current = current;
    this.#archived =
      previousStates.length > MAX_ARCHIVED_STATES
        ? previousStates.slice(0, MAX_ARCHIVED_STATES)
        : previousStates;
    this.#previousStates = this.#archived as readonly SessionState[];
  }

  /** A record over archived entries that may still be encoded. */
  static #of(current: SessionState | undefined, archived: readonly Archived[]): SessionRecord {
    const record = new SessionRecord(current);
    record.#archived =
      archived.length > MAX_ARCHIVED_STATES ? archived.slice(0, MAX_ARCHIVED_STATES) : archived;
    record.#previousStates = undefined;
    return record;
  }

  static {
    // What the module's internal functions (readSessionRecord, encodeRecord) need of a record.
    recordOf = (current, archived) => SessionRecord.#of(current, archived);
    archivedOf = (record) => record.#archived;
  }

  /**
   * Reads bytes written by `serialize()`. The archived sessions are decoded when first used, so
   * corruption inside one of them surfaces then, as RecordFormatError, from whatever used it.
   *
   * @throws RecordFormatError when they are corrupt or of an unknown format version.
   */
  static deserialize(bytes: Uint8Array): SessionRecord {
    return readSessionRecord(bytes).record;
  }

  /**
   * The record in format version 1 (see `session-record-codec.ts`). The bytes are also filed, so
   * that `deserialize` of that very array (a store that hands back what it was given) costs no
   * decoding. Filing costs a copy and a WeakMap entry: `{ file: false }` skips it, for callers
   * whose store copies or that keep decoded records themselves.
   */
  serialize(options?: { file?: boolean }): Uint8Array {
    const bytes = encodeRecord(this);
    if (options?.file !== false) remember(bytes, this);
    return bytes;
  }

  /** Archived sessions, newest first (at most MAX_ARCHIVED_STATES). */
  get previousStates(): readonly SessionState[] {
    this.#previousStates ??= this.#archived.map(stateOf);
    return this.#previousStates;
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

  /** How many states `states()` has. */
  get stateCount(): number {
    return (this.current === undefined ? 0 : 1) + this.#archived.length;
  }

  /** `states()[position]`, decoding no other archived state. */
  stateAt(position: number): SessionState {
    if (this.current !== undefined) {
      if (position === 0) return this.current;
      position -= 1;
    }
    const entry = this.#archived[position];
    if (entry === undefined) throw new RangeError(`no state at ${position}`);
    return stateOf(entry);
  }

  /**
   * This record with the open session archived (libsignal-node `closeSession`, libsignal
   * `archiveCurrentState`): messages on it still decrypt, but nothing is encrypted until a new
   * session is built. Returns this record when there is no open session.
   */
  archiveCurrentState(): SessionRecord {
    if (this.current === undefined) return this;
    return SessionRecord.#of(undefined, [this.current, ...this.#archived]);
  }

  /** This record with `state` as the open session and the previous open session archived. */
  promoteState(state: SessionState): SessionRecord {
    return SessionRecord.#of(
      state,
      this.current === undefined ? this.#archived : [this.current, ...this.#archived],
    );
  }

  /**
   * This record with the archived state at `states()[position]` replaced by `state` and made the
   * open session, the previous open session archived in front of the others (libsignal Rust
   * `promote_old_session`, Java `promoteState`): what a decrypt by an archived session does.
   */
  promoteArchivedState(position: number, state: SessionState): SessionRecord {
    const index = this.current === undefined ? position : position - 1;
    if (index < 0 || index >= this.#archived.length) throw new RangeError(`no archived state at ${position}`);
    const others = this.#archived.filter((_, i) => i !== index);
    return SessionRecord.#of(state, this.current === undefined ? others : [this.current, ...others]);
  }

  /** Every state, the open one first, then the archived ones newest first. */
  states(): SessionState[] {
    return this.current === undefined ? [...this.previousStates] : [this.current, ...this.previousStates];
  }

  /** This record with the state at `states()[position]` replaced by `state`, in place. */
  replaceState(position: number, state: SessionState): SessionRecord {
    if (this.current !== undefined) {
      if (position === 0) return SessionRecord.#of(state, this.#archived);
      position -= 1;
    }
    if (position < 0 || position >= this.#archived.length) throw new RangeError(`no state at ${position}`);
    const archived = this.#archived.slice();
    archived[position] = state;
    return SessionRecord.#of(this.current, archived);
  }

  /**
   * Position in `states()` of the session the peer started with this base key (raw), or -1. Looks
   * at the open session first, and decodes archived ones only as far as it has to.
   */
  findPeerSession(baseKey: Uint8Array): number {
    for (let position = 0; position < this.stateCount; position++) {
      const state = this.stateAt(position);
      if (!state.baseKeyIsOurs && equalBytes(state.baseKey, baseKey)) return position;
    }
    return -1;
  }
}

/**
 * `SessionRecord.deserialize`, also telling whether `bytes` are an array this process serialized
 * (`known`: nothing was decoded). A decoded record is not filed under `bytes`: a store that hands
 * back the arrays it was given returns the ones `serialize` filed, and one that copies never returns
 * the same array twice. Internal.
 */
export function readSessionRecord(bytes: Uint8Array): { record: SessionRecord; known: boolean } {
  const known = decodedRecords.get(bytes);
  // Constant-time: a record's bytes hold its root and chain keys.
  if (known !== undefined && constantTimeEqual(known.snapshot, bytes))
    return { record: known.record, known: true };
  if (!(bytes instanceof Uint8Array)) throw new TypeError('"record" expected a Uint8Array');
  // One copy, which the decoded state views: the bytes a store hands out are the caller's, and may
  // change or be reused after this returns.
  const data = decodeSessionRecord(SECRET_SLAB.copy(bytes));
  return { record: recordOf(data.current, data.archived), known: false };
}

/** `record.serialize()` without filing the bytes for `deserialize`. Internal. */
export function encodeRecord(record: SessionRecord): Uint8Array {
  return encodeSessionRecord({ current: record.current, archived: archivedOf(record) });
}
