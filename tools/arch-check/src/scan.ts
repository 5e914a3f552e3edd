/**
 * Reads a TypeScript file's imports and identifiers with the TypeScript scanner, so comments and
 * string contents never count as code.
 */
import ts from 'typescript';

/** Module specifiers of every import, export-from, dynamic import() and require() in `source`. */
export function importsOf(source: string): string[] {
  return ts.preProcessFile(source, true, true).importedFiles.map((f) => f.fileName);
}

/** Identifiers in `source` (outside comments and strings) that are in `names`. */
export function identifiersIn(source: string, names: ReadonlySet<string>): string[] {
  const scanner = ts.createScanner(ts.ScriptTarget.Latest, true, ts.LanguageVariant.Standard, source);
  const tokens: { kind: ts.SyntaxKind; text: string }[] = [];
  for (let kind = scanner.scan(); kind !== ts.SyntaxKind.EndOfFileToken; kind = scanner.scan()) {
    tokens.push({ kind, text: scanner.getTokenText() });
  }
  const found: string[] = [];
  for (const [i, token] of tokens.entries()) {
    if (token.kind !== ts.SyntaxKind.Identifier || !names.has(token.text)) continue;
    const before = tokens[i - 1]?.kind;
    const after = tokens[i + 1]?.kind;
    // `x.Buffer` / `x?.process` are property accesses, not the globals.
    if (before === ts.SyntaxKind.DotToken || before === ts.SyntaxKind.QuestionDotToken) continue;
    // `{ process: 1 }` names a property; `process(...) {` right after `{`, `}`, `;`, `,` or a
    // modifier defines a method (class member or object-literal method): neither is the global.
    if (after === ts.SyntaxKind.ColonToken) continue;
    if (
      MEMBER_START.has(before!) &&
      (after === ts.SyntaxKind.OpenParenToken || after === ts.SyntaxKind.LessThanToken)
    ) {
      continue;
    }
    found.push(token.text);
  }
  return found;
}

/** Tokens after which an identifier followed by `(` starts a method definition. */
const MEMBER_START: ReadonlySet<ts.SyntaxKind> = new Set([
  ts.SyntaxKind.OpenBraceToken,
  ts.SyntaxKind.CloseBraceToken,
  ts.SyntaxKind.SemicolonToken,
  ts.SyntaxKind.CommaToken,
  ts.SyntaxKind.AsyncKeyword,
  ts.SyntaxKind.StaticKeyword,
]);

/**
 * Places in `source` that construct or call the bare `Error` (`new Error(…)`, `Error(…)`), outside
 * comments and strings, as 1-based line numbers. `extends Error`, `instanceof Error` and
 * `SomeNamespace.Error(…)` do not count.
 */
export function plainErrorsIn(source: string): number[] {
  const scanner = ts.createScanner(ts.ScriptTarget.Latest, true, ts.LanguageVariant.Standard, source);
  const tokens: { kind: ts.SyntaxKind; text: string; pos: number }[] = [];
  for (let kind = scanner.scan(); kind !== ts.SyntaxKind.EndOfFileToken; kind = scanner.scan()) {
    tokens.push({ kind, text: scanner.getTokenText(), pos: scanner.getTokenStart() });
  }
  const lines: number[] = [];
  for (const [i, token] of tokens.entries()) {
    if (token.kind !== ts.SyntaxKind.Identifier || token.text !== 'Error') continue;
    if (tokens[i + 1]?.kind !== ts.SyntaxKind.OpenParenToken) continue;
    const before = tokens[i - 1]?.kind;
    if (before === ts.SyntaxKind.DotToken || before === ts.SyntaxKind.QuestionDotToken) continue;
    lines.push(source.slice(0, token.pos).split('\n').length);
  }
  return lines;
}
