import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { snakeCase, stronglyConnectedComponents } from '../src/proto/components.ts';

function reachable(graph: Map<string, string[]>, from: string): Set<string> {
  const seen = new Set([from]);
  const todo = [from];
  while (todo.length > 0) {
    for (const next of graph.get(todo.pop()!) ?? []) {
      if (!seen.has(next)) {
        seen.add(next);
        todo.push(next);
      }
    }
  }
  return seen;
}

// Random directed graphs over n0..n11, self-loops and cycles included.
const graphs = fc.array(fc.tuple(fc.nat(11), fc.nat(11)), { maxLength: 40 }).map((edges) => {
  const graph = new Map<string, string[]>(Array.from({ length: 12 }, (_, i) => [`n${i}`, []]));
  for (const [a, b] of edges) graph.get(`n${a}`)!.push(`n${b}`);
  return graph;
});

describe('stronglyConnectedComponents', () => {
  it('groups a cycle and leaves the rest alone', () => {
    const graph = new Map([
      ['Message', ['ContextInfo', 'Leaf']],
      ['ContextInfo', ['Message']],
      ['Leaf', []],
      ['Self', ['Self']],
    ]);
    const components = stronglyConnectedComponents(graph).map((c) => c.sort());
    expect(components).toEqual([['Leaf'], ['ContextInfo', 'Message'], ['Self']]);
  });

  it('partitions any graph into mutually reachable groups, dependencies first', () => {
    fc.assert(
      fc.property(graphs, (graph) => {
        const components = stronglyConnectedComponents(graph);
        const position = new Map<string, number>();
        components.forEach((members, i) => {
          for (const m of members) position.set(m, i);
        });
        expect([...position.keys()].sort()).toEqual([...graph.keys()].sort());
        expect(components.flat()).toHaveLength(graph.size);
        for (const [from, targets] of graph) {
          const reach = reachable(graph, from);
          for (const to of targets) expect(position.get(to)!).toBeLessThanOrEqual(position.get(from)!);
          for (const other of graph.keys()) {
            const together = position.get(other) === position.get(from);
            expect(together).toBe(reach.has(other) && reachable(graph, other).has(from));
          }
        }
      }),
    );
  });
});

describe('snakeCase', () => {
  it.each([
    ['HandshakeMessage', 'handshake_message'],
    ['ADVSignedDeviceIdentityHMAC', 'adv_signed_device_identity_hmac'],
    ['AIRichResponseMessage', 'ai_rich_response_message'],
    ['CertChain', 'cert_chain'],
    ['SyncActionValue', 'sync_action_value'],
    ['PhoneNumberToLIDMapping', 'phone_number_to_lid_mapping'],
    ['Pushname', 'pushname'],
    ['BotAIWaitListState', 'bot_ai_wait_list_state'],
    ['Message2Info', 'message2_info'],
  ])('names the file of %s %s', (name, stem) => {
    expect(snakeCase(name)).toBe(stem);
  });
});
