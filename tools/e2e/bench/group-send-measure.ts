/**
 * The timed part of the group send benchmark, over any `GroupSender`: one send at a time, each timed
 * from the send call to the server's ack, on the wall clock and on this process's CPU clock. What
 * comes before the call is not timed: for a cold send, creating its new group (so the send has a new
 * sender key to distribute to every device; the sessions with those devices already exist). Before
 * each case the benchmark makes one untimed send of the same kind (`primeSend`), which refreshes any
 * device list past its 5-minute cache (both libraries cache them that long), so no timed send waits
 * for a usync.
 */
import type { GroupSender } from './group-send-peers';

/** One timed send. */
export interface SendSample {
  wallMs: number;
  /** CPU milliseconds (user + system) of this process over the send. */
  cpuMs: number;
}

let nextText = 0;
const text = () => `group bench ${nextText++}`;

/** Sends to `group` once, timed. */
export async function timedSend(sender: GroupSender, group: string): Promise<SendSample> {
  const body = text();
  const cpu = process.cpuUsage();
  const start = performance.now();
  await sender.send(group, body);
  const wallMs = performance.now() - start;
  const used = process.cpuUsage(cpu);
  return { wallMs, cpuMs: (used.user + used.system) / 1000 };
}

/** Runs the timed part of a case (a CPU profiler's `record`, when profiling). */
export type Around = <T>(timed: () => Promise<T>) => Promise<T>;
const plain: Around = (timed) => timed();

/** One untimed send of the kind: to `group` (warm), or to a new group of `members` (cold). */
export async function primeSend(
  sender: GroupSender,
  kind: 'warm' | 'cold',
  group: string,
  members: readonly string[],
): Promise<void> {
  const to = kind === 'warm' ? group : await sender.createGroup(`cold ${nextText}`, members);
  await sender.send(to, text());
}

/** `samples` timed sends to `group`: the warm case. */
export async function warmSends(
  sender: GroupSender,
  group: string,
  samples: number,
  around = plain,
): Promise<SendSample[]> {
  return around(async () => {
    const out: SendSample[] = [];
    for (let i = 0; i < samples; i++) out.push(await timedSend(sender, group));
    return out;
  });
}

/**
 * `samples` timed first sends, each to a new group of `members` created just before it (untimed):
 * the cold case. `around` wraps each timed send alone.
 */
export async function coldSends(
  sender: GroupSender,
  members: readonly string[],
  samples: number,
  around = plain,
): Promise<SendSample[]> {
  const out: SendSample[] = [];
  for (let i = 0; i < samples; i++) {
    const group = await sender.createGroup(`cold ${nextText}`, members);
    out.push(await around(() => timedSend(sender, group)));
  }
  return out;
}
