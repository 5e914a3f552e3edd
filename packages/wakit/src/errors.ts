/**
 * The errors of the `wakit` facade, on the shared model (@wakit/errors): both are misuse of a bot,
 * caught before anything touches the network.
 */
import { LocalProtocolError } from '@wakit/errors';

/** `run()` was called on a bot that is already running. */
export class BotAlreadyRunningError extends LocalProtocolError {
  static override readonly code = 'ERR_WAKIT_BOT_ALREADY_RUNNING';

  constructor() {
    super('this bot is already running: call stop() and wait for run() to end before running it again');
  }
}

/** `bot.client` was read before `run()` created the client. */
export class BotNotStartedError extends LocalProtocolError {
  static override readonly code = 'ERR_WAKIT_BOT_NOT_STARTED';

  constructor() {
    super('the bot has no client before run(): use the client in handlers, or after run() was called');
  }
}
