/**
 * `GroupTargetMemo`: an entry is used only while every input it was resolved from is the same and
 * its device lists are fresh, and `Peers.generation` that it compares (the end-to-end invalidation
 * paths are in `messaging-group.test.ts`).
 */
import { describe, expect, it } from 'vitest';
import {
  type GroupTargetInputs,
  GroupTargetMemo,
  type GroupTargets,
} from '../src/messaging/group-target-memo';
import { Peers } from '../src/messaging/peers';
import type { GroupParticipants } from '../src/messaging/wire/group-participants';
import { Mutex } from '../src/pipeline/mutex';
import { MemoryStore } from '../src/store/memory-store';

const GROUP = '120363000000000001@g.us';
const info: GroupParticipants = {
  jid: GROUP,
  addressingMode: 'pn',
  participants: [{ jid: '15550000002@s.whatsapp.net' }],
};
const inputs: GroupTargetInputs = {
  info,
  self: '15550000001:1@s.whatsapp.net',
  directoryGeneration: 3,
  peersGeneration: 5,
};
const targets: GroupTargets = {
  self: inputs.self,
  devices: ['15550000002@s.whatsapp.net'],
  addressingMode: 'pn',
  phash: '2:AAAAAAAA',
};

describe('GroupTargetMemo', () => {
  it('answers for the same inputs until the lists are stale, and not after', () => {
    const memo = new GroupTargetMemo();
    memo.put(GROUP, inputs, 1_000, targets);
    expect(memo.get(GROUP, { ...inputs }, 1_000)).toBe(targets);
    expect(memo.get(GROUP, inputs, 1_001)).toBeUndefined();
    expect(memo.get('120363000000000002@g.us', inputs, 0)).toBeUndefined();
  });

  it('misses when any input changed: participants record, own device, device lists, LID map', () => {
    const memo = new GroupTargetMemo();
    memo.put(GROUP, inputs, 1_000, targets);
    expect(memo.get(GROUP, { ...inputs, info: { ...info } }, 0)).toBeUndefined();
    expect(memo.get(GROUP, { ...inputs, self: '1@lid' }, 0)).toBeUndefined();
    expect(memo.get(GROUP, { ...inputs, directoryGeneration: 4 }, 0)).toBeUndefined();
    expect(memo.get(GROUP, { ...inputs, peersGeneration: 6 }, 0)).toBeUndefined();
    expect(memo.get(GROUP, inputs, 0)).toBe(targets);
  });

  it('keeps at most its capacity, dropping the group remembered longest ago', () => {
    const memo = new GroupTargetMemo(1);
    memo.put(GROUP, inputs, 1_000, targets);
    memo.put('120363000000000002@g.us', inputs, 1_000, targets);
    expect(memo.get(GROUP, inputs, 0)).toBeUndefined();
    expect(memo.get('120363000000000002@g.us', inputs, 0)).toBe(targets);
  });
});

describe('Peers.generation', () => {
  it('moves when learn maps a PN to a LID, not when the mapping was already known', async () => {
    const store = new MemoryStore();
    const peers = new Peers(store, new Mutex());
    const before = peers.generation;
    await peers.learn('99@lid', '15550000002@s.whatsapp.net');
    const learned = peers.generation;
    expect(learned).not.toBe(before);
    expect(await peers.canonical('15550000002@s.whatsapp.net')).toBe('99@lid');
    await peers.learn('99@lid', '15550000002@s.whatsapp.net');
    expect(peers.generation).toBe(learned);
  });
});
