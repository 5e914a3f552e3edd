/**
 * `client.use(module)`: builds the `ModuleHost` a module's setup gets, over the client's private
 * context, and remembers the module's API so a second `use` of the same name returns it.
 */
import type { ClientModule, ModuleHost } from '../modules/module';
import { ModuleData } from '../modules/module-data';
import type { ClientContext } from './context';
import { checkServerKeyBundle } from './login';
import { query, sendNode } from './send';
import { background } from './tasks';
import { updateAccount } from './update-account';

/** Mounts `module` once; returns its API. */
export function useModule<Api>(ctx: ClientContext, module: ClientModule<Api>): Api {
  if (ctx.modules.has(module.name)) return ctx.modules.get(module.name) as Api;
  const api = module.setup(createModuleHost(ctx, module.name));
  ctx.modules.set(module.name, api);
  return api;
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
