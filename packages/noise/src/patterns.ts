/**
 * Handshake patterns as data (Noise §7). `HandshakeState` interprets them; nothing here computes.
 *
 * Rules this file keeps:
 * - "initiator" is always the left-hand party (Alice, the one sending `->`), and DH tokens are named
 *   left-to-right: `es` = DH(initiator's e, responder's s), `se` = DH(initiator's s, responder's e),
 *   whichever side computes it (Noise §5.3, §7.2).
 * - Each message says who sends it. For XX and IK the initiator sends first; XXfallback's first
 *   message comes from the responder, because the initiator's `e` travelled as a pre-message.
 * - No `psk` tokens: WhatsApp uses none, so `MixKeyAndHash` is not implemented.
 */

/** A token of a handshake message (Noise §7.1). */
export type Token = 'e' | 's' | 'ee' | 'es' | 'se' | 'ss';

/** A token of a pre-message: a public key known before the handshake (Noise §7.1). */
export type PreMessageToken = 'e' | 's';

/** One side of a handshake, in the patterns' left (initiator) / right (responder) sense. */
export type Role = 'initiator' | 'responder';

/** One handshake message: who sends it and the tokens it carries, in order. */
export interface MessagePattern {
  readonly from: Role;
  readonly tokens: readonly Token[];
}

/** A handshake pattern: the pre-messages of both sides, then the messages in order. */
export interface HandshakePattern {
  /** The pattern's name section of the protocol name (Noise §8.1), e.g. `XX`, `XXfallback`. */
  readonly name: string;
  /** Public keys each side knows of the other before the first message; hashed initiator's first (Noise §5.3). */
  readonly preMessages: {
    readonly initiator: readonly PreMessageToken[];
    readonly responder: readonly PreMessageToken[];
  };
  readonly messages: readonly MessagePattern[];
}

/** `pattern` frozen all the way down, so a shared constant cannot be edited by accident. */
function frozen(pattern: HandshakePattern): HandshakePattern {
  for (const message of pattern.messages) {
    Object.freeze(message.tokens);
    Object.freeze(message);
  }
  Object.freeze(pattern.messages);
  Object.freeze(pattern.preMessages.initiator);
  Object.freeze(pattern.preMessages.responder);
  Object.freeze(pattern.preMessages);
  return Object.freeze(pattern);
}

/** Names of the patterns this package ships. */
export type PatternName = 'XX' | 'IK' | 'XXfallback';

/**
 * XX (Noise §7.5): both statics are transmitted. WhatsApp's full handshake (client = initiator).
 * ```
 * -> e
 * <- e, ee, s, es
 * -> s, se
 * ```
 */
export const XX: HandshakePattern = frozen({
  name: 'XX',
  preMessages: { initiator: [], responder: [] },
  messages: [
    { from: 'initiator', tokens: ['e'] },
    { from: 'responder', tokens: ['e', 'ee', 's', 'es'] },
    { from: 'initiator', tokens: ['s', 'se'] },
  ],
});

/**
 * IK (Noise §7.5): the initiator knows the responder's static in advance (`rs`) and sends its own
 * static and a payload in the first message. WhatsApp's resumed login with a cached server key.
 * ```
 * <- s
 * ...
 * -> e, es, s, ss
 * <- e, ee, se
 * ```
 */
export const IK: HandshakePattern = frozen({
  name: 'IK',
  preMessages: { initiator: [], responder: ['s'] },
  messages: [
    { from: 'initiator', tokens: ['e', 'es', 's', 'ss'] },
    { from: 'responder', tokens: ['e', 'ee', 'se'] },
  ],
});

/**
 * XXfallback (Noise §10.2, §10.4 Noise Pipes): after the responder failed to decrypt an IK first
 * message, the parties finish an XX handshake whose first message (`-> e`) is replaced by the
 * initiator's ephemeral from that IK message, taken as a pre-message.
 * ```
 * -> e
 * ...
 * <- e, ee, s, es
 * -> s, se
 * ```
 * Role labels (a deliberate deviation, see `HandshakeState.split`): Noise §10.1-10.2 makes Bob (the
 * IK responder) the *initiator* of the fallback protocol, so a spec-conformant Split gives Bob the
 * first key (noise-c does this). WhatsApp keeps the client (Alice) as the initiator throughout and
 * has her send with the first key. Here Alice is `initiator: true`, as WhatsApp needs. The handshake
 * bytes are the same either way; only the assignment of the two transport keys differs.
 */
export const XX_FALLBACK: HandshakePattern = frozen({
  name: 'XXfallback',
  preMessages: { initiator: ['e'], responder: [] },
  messages: [
    { from: 'responder', tokens: ['e', 'ee', 's', 'es'] },
    { from: 'initiator', tokens: ['s', 'se'] },
  ],
});

/** The shipped patterns by name. */
export const PATTERNS: Readonly<Record<PatternName, HandshakePattern>> = Object.freeze({
  XX,
  IK,
  XXfallback: XX_FALLBACK,
});

/**
 * The protocol name this package uses for `pattern` by default (Noise §8):
 * `Noise_<pattern>_25519_AESGCM_SHA256`.
 *
 * @example
 * defaultProtocolName(XX); // 'Noise_XX_25519_AESGCM_SHA256'
 */
export function defaultProtocolName(pattern: HandshakePattern): string {
  return `Noise_${pattern.name}_25519_AESGCM_SHA256`;
}
