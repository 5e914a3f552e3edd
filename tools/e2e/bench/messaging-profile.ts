/**
 * `BENCH_PROFILE=<dir>`: CPU profiles of a library's client process during the timed throughput
 * rounds only (not the linking, the module loading or the latency samples, which a whole-process
 * `node --cpu-prof` would mix in), one `.cpuprofile` per library and round in `<dir>` (open them
 * in Chrome DevTools), and a summary per library over all its rounds: time by component (each
 * sample charged to its innermost frame in a source folder of this repository or in an npm
 * package, so node:crypto under the crypto provider counts for packages/crypto; the socket write
 * syscall apart) and the functions with the most self and inclusive time, named
 * `function file:line` with the line mapped back to the TypeScript source (tsx compiles each
 * module to a single line, so the raw profile positions say nothing).
 *
 * Profiling slows the client; the figures of a profiled run are not comparable with others.
 * Samples are taken on the wall clock while JavaScript is not idle, so a blocking syscall counts
 * in full: `(native) writeBuffer` is the socket write, time the process mostly spent waiting for
 * the kernel, not CPU it was charged (compare the bench's `system` CPU figure).
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { Session } from 'node:inspector/promises';
import { findSourceMap } from 'node:module';
import { join } from 'node:path';

interface CallFrame {
  functionName: string;
  url: string;
  lineNumber: number;
  columnNumber: number;
}

interface ProfileNode {
  id: number;
  callFrame: CallFrame;
  children?: number[];
}

interface Profile {
  nodes: ProfileNode[];
  samples: number[];
  timeDeltas: number[];
}

/** Samples every 250 µs: finer than the 1 ms default, for rounds of a few seconds. */
const SAMPLING_INTERVAL_US = 250;
const ROOT = `file://${join(import.meta.dirname, '../../..')}/`;

/** `function file:line` of a frame, the line taken from the module's source map when there is one. */
function frameName({ functionName, url, lineNumber, columnNumber }: CallFrame): string {
  const name = functionName || '(anonymous)';
  if (url === '') return name;
  // findEntry gives `{}` for a position the map does not cover.
  const entry = url.startsWith('file:')
    ? (findSourceMap(url)?.findEntry(lineNumber, columnNumber) as { originalLine?: number } | undefined)
    : undefined;
  return `${name} ${shortUrl(url)}:${(entry?.originalLine ?? lineNumber) + 1}`;
}

function shortUrl(url: string): string {
  const npm = url.lastIndexOf('/node_modules/');
  if (npm >= 0) return url.slice(npm + '/node_modules/'.length);
  return url.startsWith(ROOT) ? url.slice(ROOT.length) : url;
}

/** A frame of this repository's code (not Node's, not an npm package's). */
function isOurs(url: string): boolean {
  return url.startsWith(ROOT) && !url.includes('/node_modules/');
}

/** A frame's area: a source folder of this repository, an npm package, a Node module, a native. */
function areaOf({ functionName, url }: CallFrame): string {
  if (url === '') return `(native) ${functionName}`;
  const npm = url.lastIndexOf('/node_modules/');
  if (npm >= 0) {
    const parts = url.slice(npm + '/node_modules/'.length).split('/');
    return `npm ${parts[0]!.startsWith('@') ? `${parts[0]}/${parts[1]}` : parts[0]}`;
  }
  if (url.startsWith('node:')) return url.split('/').slice(0, 2).join('/');
  const path = shortUrl(url).split('/');
  return path.slice(0, path.length - 1).join('/');
}

/** Native leaves that are the socket write syscall (libuv's stream write), kept apart. */
const SOCKET_WRITES = new Set(['writeBuffer', 'writev', 'writeUtf8String']);

/** Self, inclusive and per-component microseconds per key, over every profile given. */
function tally(profiles: Profile[]) {
  const self = new Map<string, number>();
  const inclusive = new Map<string, number>();
  const components = new Map<string, number>();
  let busy = 0;
  const add = (map: Map<string, number>, key: string, us: number) => map.set(key, (map.get(key) ?? 0) + us);
  for (const profile of profiles) {
    const nodes = new Map(profile.nodes.map((n) => [n.id, n]));
    const parent = new Map<number, number>();
    for (const n of profile.nodes) for (const child of n.children ?? []) parent.set(child, n.id);
    const names = new Map<number, string>();
    const nameOf = (id: number) => {
      let name = names.get(id);
      if (name === undefined) {
        name = frameName(nodes.get(id)!.callFrame);
        names.set(id, name);
      }
      return name;
    };
    // Samples under the inspector are Profiler.stop itself writing out the profile.
    const profiling = new Map<number, boolean>();
    const underInspector = (id: number): boolean => {
      let flag = profiling.get(id);
      if (flag === undefined) {
        const up = parent.get(id);
        flag = nodes.get(id)!.callFrame.url === 'node:inspector' || (up !== undefined && underInspector(up));
        profiling.set(id, flag);
      }
      return flag;
    };
    // A sample's component: the area of its innermost frame of this repository or an npm package,
    // so Node internals and natives (node:crypto under the Noise cipher, say) count for their
    // caller; a sample with no such frame (GC, the microtask loop) keeps its own area.
    const componentOf = (id: number): string => {
      const leaf = nodes.get(id)!.callFrame;
      if (leaf.url === '' && SOCKET_WRITES.has(leaf.functionName)) return '(syscall) socket write';
      for (let at: number | undefined = id; at !== undefined; at = parent.get(at)) {
        const { url } = nodes.get(at)!.callFrame;
        if (url.startsWith(ROOT)) return areaOf(nodes.get(at)!.callFrame);
      }
      return areaOf(leaf);
    };
    profile.samples.forEach((id, i) => {
      const us = profile.timeDeltas[i] ?? 0;
      const frame = nodes.get(id)!.callFrame;
      if (frame.functionName === '(idle)' || underInspector(id)) return;
      busy += us;
      add(self, nameOf(id), us);
      add(components, componentOf(id), us);
      // Each of our functions once per sample, however deep the recursion (Node's and npm's
      // frames are left out: their self time above says enough, and they would fill the table).
      const seen = new Set<string>();
      for (let at: number | undefined = id; at !== undefined; at = parent.get(at)) {
        if (!isOurs(nodes.get(at)!.callFrame.url)) continue;
        const name = nameOf(at);
        if (!seen.has(name)) add(inclusive, name, us);
        seen.add(name);
      }
    });
  }
  return { self, inclusive, components, busy };
}

/** Records one profile per `record()` call and summarises them per library. */
export class RoundProfiler {
  readonly #session: Session;
  readonly #dir: string;
  readonly #profiles = new Map<string, Profile[]>();

  private constructor(session: Session, dir: string) {
    this.#session = session;
    this.#dir = dir;
  }

  /** A profiler writing to `dir`, or undefined when `dir` is (profiling off). */
  static async open(dir: string | undefined): Promise<RoundProfiler | undefined> {
    if (dir === undefined || dir === '') return undefined;
    mkdirSync(dir, { recursive: true });
    const session = new Session();
    session.connect();
    await session.post('Profiler.enable');
    await session.post('Profiler.setSamplingInterval', { interval: SAMPLING_INTERVAL_US });
    return new RoundProfiler(session, dir);
  }

  /** Runs `fn` under the profiler; the profile counts for `library`. */
  async record<T>(library: string, fn: () => Promise<T>): Promise<T> {
    await this.#session.post('Profiler.start');
    try {
      return await fn();
    } finally {
      const { profile } = (await this.#session.post('Profiler.stop')) as { profile: Profile };
      const list = this.#profiles.get(library) ?? [];
      list.push(profile);
      this.#profiles.set(library, list);
      writeFileSync(
        join(this.#dir, `messaging-${library}-${list.length}.cpuprofile`),
        JSON.stringify(profile),
      );
    }
  }

  /** Prints where `library`'s CPU time went; `messages` converts it to µs per message. */
  print(library: string, messages: number, top = 25): void {
    const { self, inclusive, components, busy } = tally(this.#profiles.get(library) ?? []);
    const rows = (map: Map<string, number>) =>
      Object.fromEntries(
        [...map]
          .sort((a, b) => b[1] - a[1])
          .slice(0, top)
          .map(([key, us]) => [
            key,
            { '% of busy': ((100 * us) / busy).toFixed(1), 'µs per msg': (us / messages).toFixed(1) },
          ]),
      );
    console.log(
      `\nProfile of ${library}, timed throughput rounds: ${(busy / 1000).toFixed(0)} ms busy, ` +
        `${(busy / messages).toFixed(0)} µs per message (profiled, so slower than unprofiled)`,
    );
    console.log('Time by component (innermost frame of this repository or an npm package)');
    console.table(rows(components));
    console.log('Self time by function');
    console.table(rows(self));
    console.log("Inclusive time by function (this repository's functions)");
    console.table(rows(inclusive));
  }

  async close(): Promise<void> {
    await this.#session.post('Profiler.disable');
    this.#session.disconnect();
  }
}
