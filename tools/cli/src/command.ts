/**
 * The shape every subcommand has, and what the outside world it may touch looks like. Commands
 * reach the terminal, the process signals, the server, the client and its store only through {@link CliDeps}, so tests
 * drive them with plain objects and no module mocks.
 */
import type { CreateClient, OpenStore } from './client-contract';
import type { StartServer } from './server-contract';

/** Everything a command may use besides its arguments. */
export interface CliDeps {
  /** Writes text to standard output; the command supplies the newlines. */
  stdout(text: string): void;
  /** Writes text to standard error; the command supplies the newlines. */
  stderr(text: string): void;
  /** Reads standard input to its end (for `wakit qr -`). */
  readStdin(): Promise<string>;
  /**
   * Calls `onLine` with each line of standard input (line ending removed) as it arrives, for
   * `wakit serve`'s commands. Returns the function that stops reading, so an open terminal or
   * pipe does not keep the process alive after the command is done.
   */
  readStdinLines(onLine: (line: string) => void): () => void;
  /** Starts the embedded server (`startServer` of @wakit/server). */
  startServer: StartServer;
  /** Opens the device store file (`openSqliteStore` of @wakit/client/sqlite). */
  openStore: OpenStore;
  /** Creates a client (`createClient` of @wakit/client). */
  createClient: CreateClient;
  /**
   * Starts listening for a request to stop (SIGINT, SIGTERM). Listening begins at the call, so a
   * Ctrl-C while the server is still starting is not lost; `dispose` stops listening and gives the
   * signals their default behaviour back.
   */
  listenForStop(): StopListener;
}

/** A pending request to stop; see {@link CliDeps.listenForStop}. */
export interface StopListener {
  /** Resolves with the name of the signal that asked to stop, e.g. `SIGINT`. */
  readonly stopped: Promise<string>;
  dispose(): void;
}

/** A subcommand: its name, its help, and how to run it. */
export interface Command {
  readonly name: string;
  /** One line for the command list of `wakit --help`. */
  readonly summary: string;
  /** The full text of `wakit <name> --help`, ending in a newline. */
  readonly usage: string;
  /** Runs the command on the arguments after its name; resolves with the process exit code. */
  run(args: readonly string[], deps: CliDeps): Promise<number>;
}
