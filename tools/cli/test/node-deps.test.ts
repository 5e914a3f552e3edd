import { PassThrough } from 'node:stream';
import { afterEach, describe, expect, it } from 'vitest';
import type { StopListener } from '../src/command';
import { listenForProcessStop, readLines, STOP_SIGNALS } from '../src/node-deps';

describe('listenForProcessStop', () => {
  let listener: StopListener | undefined;
  afterEach(() => listener?.dispose());

  for (const signal of STOP_SIGNALS) {
    it(`resolves with ${signal} when this process receives it`, async () => {
      listener = listenForProcessStop();
      // A real signal to ourselves: without the listener it would end the test worker.
      process.kill(process.pid, signal);
      expect(await listener.stopped).toBe(signal);
    });
  }

  it('removes its handlers on dispose, giving the signals their default back', () => {
    const before = STOP_SIGNALS.map((s) => process.listenerCount(s));
    listener = listenForProcessStop();
    expect(STOP_SIGNALS.map((s) => process.listenerCount(s))).toEqual(before.map((n) => n + 1));
    listener.dispose();
    expect(STOP_SIGNALS.map((s) => process.listenerCount(s))).toEqual(before);
  });
});

describe('readLines', () => {
  it('delivers each line without its ending, CRLF included, and nothing after it is stopped', async () => {
    const input = new PassThrough();
    const lines: string[] = [];
    let third!: () => void;
    const gotThird = new Promise<void>((resolve) => {
      third = resolve;
    });
    const stop = readLines(input, (line) => {
      lines.push(line);
      if (lines.length === 3) third();
    });
    input.write('first\r\nsec');
    input.write('ond\n\n');
    await gotThird;
    expect(lines).toEqual(['first', 'second', '']);

    stop();
    expect(input.isPaused()).toBe(true);
    input.write('late\n');
    input.end();
    expect(lines).toEqual(['first', 'second', '']);
  });
});
