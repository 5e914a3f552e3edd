/**
 * The state of messaging for one client: the peer map, the device directory, message acks, the
 * send lanes (one per chat: sends to a chat reach the wire in call order) and the offline drain.
 * Built once per client by `client/messaging-wiring.ts`; the functions in this folder take it.
 */
import type { LocalIdentity } from '@wakit/signal';
import { Lanes } from '../pipeline/lanes';
import { DeviceDirectory } from './devices';
import { Distributions } from './distributions';
import { GroupTargetMemo } from './group-target-memo';
import { Groups } from './groups';
import type { MessagingHost } from './host';
import { Inbox } from './inbox';
import { MessageAcks } from './message-acks';
import { OfflineDrain } from './offline';
import { Peers } from './peers';
import { SessionCache } from './session-cache';
import type { SessionHost } from './sessions';

/** One client's messaging state. */
export class Messaging {
  readonly host: MessagingHost;
  readonly peers: Peers;
  readonly directory: DeviceDirectory;
  /** Participants of the groups we send to (`groups.ts`). */
  readonly groups: Groups;
  /** Devices being given our sender key, until the stanza is acked (`distributions.ts`). */
  readonly distributions: Distributions;
  /** Each group's devices and `phash` between sends (`group-target-memo.ts`). */
  readonly groupTargets = new GroupTargetMemo();
  readonly acks: MessageAcks;
  readonly sendLanes = new Lanes();
  readonly offline: OfflineDrain;
  readonly inbox = new Inbox();
  /** Decoded session records between messages (`session-cache.ts`). */
  readonly sessionCache = new SessionCache();
  readonly sessions: SessionHost;

  constructor(host: MessagingHost) {
    this.host = host;
    this.peers = new Peers(host.store, host.signalLock);
    this.directory = new DeviceDirectory({
      store: host.store,
      peers: this.peers,
      now: () => host.timers.now(),
      query: (iq) => host.query(iq),
      nextQueryId: () => host.nextId(),
    });
    this.groups = new Groups({
      peers: this.peers,
      kv: host.store.kv,
      logger: host.logger,
      query: (iq) => host.query(iq),
      nextQueryId: () => host.nextId(),
    });
    this.acks = new MessageAcks(host.timers);
    this.distributions = new Distributions(host.store, host.signalLock);
    this.offline = new OfflineDrain(host);
    this.sessions = {
      store: host.store,
      peers: this.peers,
      signalLock: host.signalLock,
      crypto: host.crypto,
      logger: host.logger,
      local: () => localIdentity(host),
      query: (iq) => host.query(iq),
    };
  }

  /** One random byte (padding). */
  randomByte(): number {
    return this.host.crypto.randomBytes(1)[0]!;
  }
}

/** Our Signal identity, from the credentials. */
export function localIdentity(host: MessagingHost): LocalIdentity {
  const credentials = host.credentials();
  return { identityKeyPair: credentials.identityKey, registrationId: credentials.registrationId };
}
