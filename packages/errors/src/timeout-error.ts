import { IoError } from './wakit-error';

/**
 * Something did not happen in time: an IQ reply, a handshake, an awaited event. One class for every
 * package (the client's IQs and the server's `waitFor` alike) so that one `catch` handles them all.
 */
export class TimeoutError extends IoError {
  static override readonly code = 'ERR_TIMEOUT';

  constructor(
    message: string,
    /** How long was waited, in milliseconds. */
    readonly timeoutMs: number,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}
