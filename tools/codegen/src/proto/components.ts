/**
 * Groups top-level declarations into the files of the split. Proto imports cannot be cyclic, so
 * declarations that reach each other (Message -> ContextInfo.quotedMessage -> Message) must share a
 * file: the groups are the strongly connected components of the reference graph, and the imports
 * between them form a DAG by construction.
 */
import type { Declaration } from './declarations.ts';

/** The declarations of one split file. */
export interface Component {
  /** File stem: snake_case of the main member's name, e.g. `handshake_message`. */
  stem: string;
  /** Members in source order. */
  members: Declaration[];
  /** Stems of the components this one refers to, sorted. */
  imports: string[];
}

/**
 * Tarjan's algorithm. Returns each component as a list of node names; a node's component comes
 * after the components it points to.
 */
export function stronglyConnectedComponents(graph: ReadonlyMap<string, readonly string[]>): string[][] {
  const order = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const onStack = new Set<string>();
  const components: string[][] = [];

  // Recursion depth is bounded by the longest reference chain (tens for WAProto), not the file size.
  const visit = (node: string) => {
    order.set(node, order.size);
    low.set(node, order.get(node)!);
    stack.push(node);
    onStack.add(node);
    for (const next of graph.get(node) ?? []) {
      if (!order.has(next)) {
        visit(next);
        low.set(node, Math.min(low.get(node)!, low.get(next)!));
      } else if (onStack.has(next)) {
        low.set(node, Math.min(low.get(node)!, order.get(next)!));
      }
    }
    if (low.get(node) === order.get(node)) {
      const component: string[] = [];
      let member: string;
      do {
        member = stack.pop()!;
        onStack.delete(member);
        component.push(member);
      } while (member !== node);
      components.push(component);
    }
  };
  for (const node of graph.keys()) if (!order.has(node)) visit(node);
  return components;
}

/** `ADVSignedDeviceIdentityHMAC` -> `adv_signed_device_identity_hmac`. */
export function snakeCase(name: string): string {
  return name
    .replace(/([a-z0-9])([A-Z])/g, '$1_$2')
    .replace(/([A-Z]+)([A-Z][a-z])/g, '$1_$2')
    .replace(/_+/g, '_')
    .toLowerCase();
}

/**
 * The member a component's file is named after: the one with the most source text (`Message` in
 * the Message/ContextInfo cycle), the earliest on a tie. Naming by content rather than by
 * position keeps file names stable when upstream reorders declarations.
 */
function mainMember(members: readonly Declaration[]): Declaration {
  return members.reduce((best, m) => (m.text.length > best.text.length ? m : best));
}

/** Split declarations into components with stable file stems and their imports. */
export function groupDeclarations(declarations: readonly Declaration[]): Component[] {
  const byName = new Map(declarations.map((d) => [d.name, d]));
  const graph = new Map(declarations.map((d) => [d.name, d.references]));
  const componentOf = new Map<string, Component>();
  const components: Component[] = [];
  for (const names of stronglyConnectedComponents(graph)) {
    const members = names.map((n) => byName.get(n)!).sort((a, b) => a.index - b.index);
    const component: Component = { stem: snakeCase(mainMember(members).name), members, imports: [] };
    components.push(component);
    for (const name of names) componentOf.set(name, component);
  }
  const stems = new Map<string, Component>();
  for (const component of components) {
    const clash = stems.get(component.stem);
    if (clash) {
      const names = (c: Component) => c.members.map((m) => m.name).join(', ');
      throw new Error(
        `two split files would be named ${component.stem}: [${names(clash)}] and [${names(component)}]`,
      );
    }
    stems.set(component.stem, component);
    const imports = new Set<string>();
    for (const member of component.members) {
      for (const ref of member.references) {
        const target = componentOf.get(ref)!;
        if (target !== component) imports.add(target.stem);
      }
    }
    component.imports = [...imports].sort();
  }
  return components.sort((a, b) => a.members[0]!.index - b.members[0]!.index);
}
