/**
 * The in-process group send benchmark's world (`bench/group-network.ts`) does what the benchmark
 * claims to time: a group's first send carries a pairwise SKDM per device, a later one none, the
 * first after a member left and came back (`churn`) one per device again; and `checkTally` refuses
 * anything else. The whatsapp-rust-bridge reference, and ours doing the same Signal part, encrypt a
 * prekey message per device and the group message, each time. Four devices, so it runs in the
 * default suite.
 */
import { nodeCrypto } from '@wakit/crypto/node';
import { describe, expect, it } from 'vitest';
import { bridgeColdSend } from '../bench/group-bridge';
import { benchNetwork, checkTally, type ToTally } from '../bench/group-network';
import { wakitSignalColdSend } from '../bench/group-signal-part';

describe('the group send benchmark network', () => {
  it('distributes to every device on a first send and after a churn, and to none otherwise', async () => {
    const net = await benchNetwork(4, nodeCrypto);
    const warm = net.group(0);
    await net.send(warm);
    await net.send(warm);
    await net.churn(warm);
    await net.send(warm);
    await net.send(warm);
    await net.churn(warm);
    await net.send(warm);
    await net.send(net.group(1));
    expect(net.tally.first).toEqual(new Map([[4, 2]]));
    expect(net.tally.rotated).toEqual(new Map([[4, 2]]));
    expect(net.tally.later).toEqual(new Map([[0, 2]]));
    expect(() => checkTally(net.tally, 4)).not.toThrow();
  });

  it('refuses a tally the benchmark does not claim', () => {
    const tally = (
      first: [number, number][],
      rotated: [number, number][],
      later: [number, number][],
    ): ToTally => ({
      first: new Map(first),
      rotated: new Map(rotated),
      later: new Map(later),
    });
    expect(() => checkTally(tally([[4, 3]], [[4, 2]], [[0, 9]]), 4)).not.toThrow();
    expect(() => checkTally(tally([[3, 1]], [], []), 4)).toThrow(/first sends carried 3/);
    expect(() => checkTally(tally([], [[0, 1]], []), 4)).toThrow(/after a churn, sends carried 0/);
    expect(() => checkTally(tally([[4, 1]], [], [[1, 2]]), 4)).toThrow(/later sends carried 1/);
  });

  it('has the bridge encrypt one pkmsg per device and the group message, on every cold send', async () => {
    const send = await bridgeColdSend(4);
    expect(await send()).toBe(5);
    expect(await send()).toBe(5);
  });

  it('has our Signal part encrypt one pkmsg per device and the group message, on every cold send', async () => {
    const send = await wakitSignalColdSend(4, nodeCrypto);
    expect(await send()).toBe(5);
    expect(await send()).toBe(5);
  });
});
