/**
 * A module resolve hook that adds the `@wakit/source` export condition, so `@wakit/*` imports
 * resolve to the packages' TypeScript sources (`src/index.ts`), as `--conditions=@wakit/source`
 * does on the node command line. Registered by `wakit.mjs`.
 */

/** Node module customization hook: resolves with the extra condition, else unchanged. */
export async function resolve(specifier, context, nextResolve) {
  return nextResolve(specifier, { ...context, conditions: [...context.conditions, '@wakit/source'] });
}
