/**
 * @packageDocumentation
 * wakit: the WhatsApp Web multi-device toolkit in one import. `createClient` gives a client with
 * every feature mounted; the packages underneath are re-exported side by side (`@wakit/client`,
 * `@wakit/features`, and through them the shared error model), so one dependency is enough. Each
 * stays usable alone: this package only wires them.
 */
export * from '@wakit/client';
export * from '@wakit/features';
export { Bot, type BotEndReason, type BotError, type BotRunResult, createBot } from './bot/bot';
export { type BotOptions, type BotOutput, DEFAULT_BOT_STORE_PATH } from './bot/bot-options';
export type { MessageContext } from './bot/message-context';
// Ours, in place of @wakit/client's: the same client with the features mounted.
export { createClient, type WakitClient } from './create-client';
export { BotAlreadyRunningError, BotNotStartedError } from './errors';
