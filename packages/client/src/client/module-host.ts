/**
 * `client.use(module)`: builds the `ModuleHost` a module's setup gets, over the client's private
 * context, and remembers the module's API so a second `use` of the same name returns it (also
 * when a module asks for another through `host.use`: one instance per client).
 */
import type { BinaryNode } from '@wakit/binary-node';
import type { ClientModule, MessageChildren, ModuleHost, OutgoingMessage } from '../modules/module';
import { ModuleData } from '../modules/module-data';
import type { ClientContext } from './context';
import { checkServerKeyBundle } from './login';
import { query, sendNode } from './send';
import { background } from './tasks';
import { updateAccount } from './update-account';

// The modules whose setup is running, per client: a module that uses one of them (directly or
// through others) would otherwise run its setup again, forever.
const settingUp = new WeakMap<ClientContext, Set<string>>();

/**
 * Mounts `module` once; returns its API.
 *
 * @throws TypeError when `module` is asked for while its own setup is running (modules that use
 *   each other in their setups).
 */
export function useModule<Api>(ctx: ClientContext, module: ClientModule<Api>): Api {
  if (ctx.modules.has(module.name)) return ctx.modules.get(module.name) as Api;
  const running = settingUp.get(ctx) ?? new Set<string>();
  settingUp.set(ctx, running);
  if (running.has(module.name)) {
    throw new TypeError(
      `module "${module.name}" was asked for while its setup runs: [${[...running].join(' -> ')}] use each other`,
    );
  }
  running.add(module.name);
  try {
    const api = module.setup(createModuleHost(ctx, module.name));
    ctx.modules.set(module.name, api);
    return api;
  } finally {
    running.delete(module.name);
  }
}

function createModuleHost(ctx: ClientContext, name: string): ModuleHost {
  const addTo = <T>(set: Set<T>, hook: T) => {
    set.add(hook);
    return () => {
      set.delete(hook);
    };
  };
  return {
    logger: ctx.logger,
    timers: ctx.timers,
    crypto: ctx.crypto,
    store: ctx.store,
    data: new ModuleData(ctx.store.kv, `module:${name}`),
    handle: (handler) => ctx.pipeline.add(handler),
    onConnect: (hook) => addTo(ctx.hooks.connect, hook),
    onLogin: (hook) => addTo(ctx.hooks.login, hook),
    onClose: (hook) => addTo(ctx.hooks.close, hook),
    sendNode: (node) => sendNode(ctx, node),
    query: (iq, options) => query(ctx, iq, options),
    emit: (event, payload) => ctx.events.emit(event, payload),
    background: (context, work) => background(ctx, `${name}: ${context}`, work),
    updateAccount: (patch) => updateAccount(ctx, patch),
    checkKeyBundle: () => checkServerKeyBundle(ctx),
    learnLid: async (lid, pn) => {
      // Mounted by the client's constructor, so always set once a module can run.
      await ctx.peers?.learn(lid, pn);
    },
    forgetGroupParticipants: async () => ctx.groups?.forgetAll(),
    addMessageChildren: (children) => addTo(ctx.hooks.messageChildren, children),
    onMessageSent: (hook) => addTo(ctx.hooks.messageSent, hook),
    use: (other) => useModule(ctx, other),
  };
}

/** Runs every hook of `hooks` as a background task of its own (one failing does not stop the others). */
export function runHooks<A extends unknown[]>(
  ctx: ClientContext,
  hooks: Set<(...args: A) => void | Promise<void>>,
  context: string,
  ...args: A
): void {
  for (const hook of [...hooks]) background(ctx, context, async () => hook(...args));
}

/**
 * The children every provider gives for `message`, in the providers' order. Synchronous when every
 * provider answered synchronously (the usual case: modules answer from memory), so a send waits
 * for no extra promise turn.
 */
export function collectMessageChildren(
  providers: ReadonlySet<MessageChildren>,
  message: OutgoingMessage,
): readonly BinaryNode[] | Promise<readonly BinaryNode[]> {
  if (providers.size === 0) return [];
  const given = [...providers].map((provide) => provide(message));
  if (!given.some((children) => children instanceof Promise))
    return flatten(given as (readonly BinaryNode[] | undefined)[]);
  return Promise.all(given).then(flatten);
}

function flatten(lists: readonly (readonly BinaryNode[] | undefined)[]): BinaryNode[] {
  const out: BinaryNode[] = [];
  for (const list of lists) if (list !== undefined) out.push(...list);
  return out;
}
