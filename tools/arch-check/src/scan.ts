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
  const found: string[] = [];
  let previous: ts.SyntaxKind = ts.SyntaxKind.Unknown;
  for (let kind = scanner.scan(); kind !== ts.SyntaxKind.EndOfFileToken; kind = scanner.scan()) {
    // `x.Buffer` is a property access, not the global.
    if (
      kind === ts.SyntaxKind.Identifier &&
      previous !== ts.SyntaxKind.DotToken &&
      names.has(scanner.getTokenText())
    ) {
      found.push(scanner.getTokenText());
    }
    previous = kind;
  }
  return found;
}
