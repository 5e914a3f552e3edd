/**
 * One name, one meaning: the coming `wakit` facade re-exports every package side by side, so two
 * entries may export the same name only when it is the very same declaration (a re-export, like
 * the error bases every package passes on from @wakit/errors). Found with the TypeScript checker:
 * each exported symbol is followed through its aliases to the declaration it names.
 */
import { relative } from 'node:path';
import ts from 'typescript';
import type { PackageEntry } from './entries';

/** A name two or more entries export with different meanings. */
export interface NameClash {
  readonly name: string;
  /** Each meaning (a declaration's file and line) with the entries that export it. */
  readonly meanings: readonly { readonly declaration: string; readonly specifiers: readonly string[] }[];
}

/** The exported names of each entry, mapped to a string that identifies the declaration behind them. */
export function exportedDeclarations(
  root: string,
  entries: readonly PackageEntry[],
): Map<string, Map<string, string>> {
  const program = ts.createProgram(
    entries.map((e) => e.file),
    {
      module: ts.ModuleKind.ESNext,
      moduleResolution: ts.ModuleResolutionKind.Bundler,
      customConditions: ['@wakit/source'],
      target: ts.ScriptTarget.ES2022,
      allowImportingTsExtensions: true,
      noEmit: true,
      skipLibCheck: true,
      types: [],
    },
  );
  const checker = program.getTypeChecker();
  const result = new Map<string, Map<string, string>>();
  for (const entry of entries) {
    const source = program.getSourceFile(entry.file);
    const moduleSymbol = source && checker.getSymbolAtLocation(source);
    const names = new Map<string, string>();
    for (const symbol of moduleSymbol ? checker.getExportsOfModule(moduleSymbol) : []) {
      const target = symbol.flags & ts.SymbolFlags.Alias ? checker.getAliasedSymbol(symbol) : symbol;
      const declaration = target.declarations?.[0];
      const where = declaration
        ? `${relative(root, declaration.getSourceFile().fileName)}:${declaration.getStart()}`
        : `<${target.name}>`;
      names.set(symbol.name, where);
    }
    result.set(entry.specifier, names);
  }
  return result;
}

/**
 * Declarations that live in a namespace of their own in the facade rather than beside everything
 * else: @wakit/proto's ~900 generated messages are the protocol's names (`SenderKeyMessage` is a
 * WAProto message as well as libsignal's wire format), re-exported as `proto.*`, the way Baileys
 * exports `proto` and whatsmeow has `waE2E`.
 */
export const NAMESPACED_DECLARATIONS = /^packages\/proto\/src\/gen\//;

/**
 * Names the `wakit` facade gives a meaning of its own on purpose, in place of the one it would
 * re-export: its `createClient` is @wakit/client's with every feature module mounted (the seed's
 * `import { createClient } from 'wakit'`). Listed one by one, so any other shadowing still fails.
 */
export const FACADE_OVERRIDES: ReadonlySet<string> = new Set(['createClient']);
const FACADE_SOURCE = /^packages\/wakit\/src\//;

/** Names exported by several entries with different declarations behind them. */
export function nameClashes(root: string, entries: readonly PackageEntry[]): NameClash[] {
  const byName = new Map<string, Map<string, string[]>>();
  for (const [specifier, names] of exportedDeclarations(root, entries)) {
    for (const [name, declaration] of names) {
      if (NAMESPACED_DECLARATIONS.test(declaration)) continue;
      if (FACADE_OVERRIDES.has(name) && FACADE_SOURCE.test(declaration)) continue;
      const meanings = byName.get(name) ?? new Map<string, string[]>();
      meanings.set(declaration, [...(meanings.get(declaration) ?? []), specifier]);
      byName.set(name, meanings);
    }
  }
  const clashes: NameClash[] = [];
  for (const [name, meanings] of byName) {
    if (meanings.size < 2) continue;
    clashes.push({
      name,
      meanings: [...meanings].map(([declaration, specifiers]) => ({ declaration, specifiers })),
    });
  }
  return clashes.sort((a, b) => a.name.localeCompare(b.name));
}
