/**
 * `npm start` tells its story: the demo runs in this process and every step's lines are checked
 * (who sent what, the ids on both sides, the receipts, the offline catch-up, the restart without
 * pairing); then `npm start` itself runs as a child and exits 0 with nothing on stderr.
 */
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { messagingDemo } from '../src/messaging-demo';

const ROOT = fileURLToPath(new URL('../../../', import.meta.url));
const ALICE = '15550001234:1@s.whatsapp.net';
const BOB = '15550001235:1@s.whatsapp.net';
const ID = '([0-9A-F]{22})';
const NEW_SESSION = 'pkmsg: a new session$';
const OLD_SESSION = 'msg: an existing session$';

/** The lines of step `n` (its heading first), from the lines the demo printed. */
function step(lines: readonly string[], n: number): string[] {
  const start = lines.findIndex((line) => line.startsWith(`\n${n}. `) || line.startsWith(`${n}. `));
  expect(start, `step ${n} is printed`).toBeGreaterThanOrEqual(0);
  const end = lines.findIndex((line, i) => i > start && /^\n\d\. /.test(line));
  return lines.slice(start, end === -1 ? undefined : end);
}

/** The one line of `lines` matching `pattern`, and its groups. */
function only(lines: readonly string[], pattern: RegExp): RegExpMatchArray {
  const found = lines.filter((line) => pattern.test(line));
  expect(found, `one line matching ${pattern}`).toHaveLength(1);
  return found[0]!.match(pattern)!;
}

describe('npm start: the messaging demo', () => {
  it('links two clients, exchanges messages with receipts, catches up after offline, restarts from SQLite', async () => {
    const lines: string[] = [];
    const warnings: string[] = [];
    const { directory } = await messagingDemo({
      print: (line) => lines.push(line),
      warn: (line) => warnings.push(line),
    });

    const one = step(lines, 1).join('\n');
    expect(one).toMatch(/listens on ws:\/\/127\.0\.0\.1:\d+\/ws\/chat/);
    expect(one).toContain("Alice's virtual phone owns the account +1 555 0001 234");
    expect(one).toContain("Bob's virtual phone owns the account +1 555 0001 235");

    // Two links by QR code, one drawn; each through the 515 restart to a login and a prekey upload.
    const two = step(lines, 2);
    expect(two[0]).toContain(directory);
    expect(two.filter((line) => /: QR code \(valid 60 s\): https:\/\/wa\.me\//.test(line))).toHaveLength(2);
    expect(two.filter((line) => /[▀▄█]{10}/.test(line))).toHaveLength(1);
    only(two, new RegExp(`Alice's phone scanned it and signed this device: ${ALICE}$`));
    only(two, new RegExp(`Bob's phone scanned it and signed this device: ${BOB}$`));
    expect(two.filter((line) => line.includes('stream error 515'))).toHaveLength(2);
    expect(two.filter((line) => /: logged in, <success t="\d+">/.test(line))).toHaveLength(2);
    expect(two.filter((line) => /: uploaded \d+ one-time prekeys/.test(line))).toHaveLength(2);

    // Step 3: a new session (pkmsg) for the first message, the reply on it; every receipt back.
    const three = step(lines, 3);
    const [, first] = only(
      three,
      new RegExp(`Bob ← "Hi Bob, .*" from Alice's client, id ${ID}, ${NEW_SESSION}`),
    );
    expect(
      only(three, new RegExp(`Alice ← receipts for ${first}: (.*)`))[1]!
        .split(', ')
        .sort(),
    ).toEqual([
      "copied to Alice's phone",
      "delivered to Bob's client",
      "delivered to Bob's phone",
      "read on Bob's client",
    ]);
    const [, reply] = only(
      three,
      new RegExp(`Alice ← "Hi Alice! Got it\\." from Bob's client, id ${ID}, ${OLD_SESSION}`),
    );
    expect(
      only(three, new RegExp(`Bob ← receipts for ${reply}: (.*)`))[1]!
        .split(', ')
        .sort(),
    ).toEqual(["copied to Bob's phone", "delivered to Alice's client", "delivered to Alice's phone"]);

    // Step 4: the features beside messaging, between the two accounts through the server.
    const four = step(lines, 4);
    const alice = '15550001234@s.whatsapp.net';
    expect(four.slice(1)).toEqual([
      expect.stringMatching(
        /^ {3}Alice asks whether \+1 555 0001 235 is on WhatsApp: yes, 15550001235@s\.whatsapp\.net \(\d+@lid\)$/,
      ),
      '   Alice asks whether +1 555 0009 999 is on WhatsApp: no',
      `   Alice's phone sets an about text and a profile picture; Bob's getUserInfo: "Writing a WhatsApp library", picture 1, 2 devices`,
      expect.stringMatching(
        /^ {3}Bob downloads her picture from http:\/\/127\.0\.0\.1:\d+\/pp\/1\/image\.jpg: 18 bytes, the same$/,
      ),
      `   Bob subscribes to Alice's presence: ${alice} is offline, no last seen shown`,
      `   Alice's client goes online; Bob sees: ${alice} is online`,
      "   Alice types, then stops; Bob's chat-state handler gets: composing, paused",
      expect.stringMatching(
        new RegExp(
          `^   Alice's client goes offline; Bob sees: ${alice} is offline, last seen \\d{4}-\\d\\d-\\d\\dT`,
        ),
      ),
      `   Alice hides her last seen (privacy "last" = none) and goes offline again; Bob sees: ${alice} is offline, no last seen shown`,
      expect.stringMatching(
        /^ {3}Bob blocks Alice: isBlocked = true, his blocklist \[\d+@lid\] \(Alice by her LID\)$/,
      ),
      '   Bob unblocks her: isBlocked = false',
    ]);

    // Step 5: a group through client.groups; the first message of each sender hands its key over
    // pairwise beside the skmsg, the next one is the skmsg alone.
    const five = step(lines, 5);
    const [, group] = only(
      five,
      /^ {3}Alice creates the group (\d+@g\.us) "wakit demo"; Bob's client gets group-created with 2 participants, Alice the superadmin$/,
    );
    only(
      five,
      new RegExp(
        `Bob ← "Hello group!" in ${group} from Alice's client, id ${ID}, skmsg, with the sender's key in a (pk)?msg beside it$`,
      ),
    );
    only(
      five,
      new RegExp(
        `Alice ← "Hi all, got it\\." in ${group} from Bob's client, id ${ID}, skmsg, with the sender's key in a (pk)?msg beside it$`,
      ),
    );
    only(
      five,
      new RegExp(
        `Bob ← "Second message: .*" in ${group} from Alice's client, id ${ID}, skmsg: the sender's key, already held$`,
      ),
    );
    only(five, /Alice renames it; Bob's client gets group-updated with subject "wakit demo \(renamed\)"$/);

    // Step 6: Bob's phone has the three at once; his client gets them, in order, once it is back.
    const six = step(lines, 6);
    const back = six.indexOf("   Bob's client connects again");
    expect(six.indexOf("   Bob's client disconnects")).toBeGreaterThan(0);
    expect(six.slice(0, back).filter((line) => line.startsWith('   Alice → Bob: '))).toHaveLength(3);
    only(
      six.slice(0, back),
      /Alice ← receipts for the 3 messages: (?=.*delivered to Bob's phone ×3)(?!.*client)/,
    );
    const offline = six.filter((line) => line.includes('(offline)'));
    expect(
      offline.map(
        (line) =>
          line.match(new RegExp(`← "(.*)" \\(offline\\) from Alice's client, id ${ID}, ${OLD_SESSION}`))?.[1],
      ),
    ).toEqual(['Are you there?', "I'll leave these with the server.", 'Read them when you are back.']);
    const complete = six.indexOf('   Bob: offline-sync-complete, 3 queued stanzas handled');
    expect(six.indexOf(offline[0]!)).toBeGreaterThan(back);
    expect(complete).toBeGreaterThan(six.indexOf(offline[2]!));
    only(six.slice(complete), /Alice ← receipts for the 3 messages: delivered to Bob's client ×3$/);

    // Step 7: new clients on the same files log in without a QR code or pairing, and both
    // messages decrypt on the sessions from before (msg, not pkmsg).
    const seven = step(lines, 7);
    expect(seven.slice(1).join('\n')).not.toMatch(/QR code|scanned it|stream error|prekeys/);
    only(seven, /Alice's process restarts: a new client opens alice\.db/);
    only(seven, /Bob's process restarts: a new client opens bob\.db/);
    expect(seven.filter((line) => /: logged in, <success t="\d+">/.test(line))).toHaveLength(2);
    const [, after] = only(
      seven,
      new RegExp(`Bob ← "Still there after the restart\\?" from Alice's client, id ${ID}, ${OLD_SESSION}`),
    );
    only(seven, new RegExp(`Alice ← receipts for ${after}: .*read on Bob's client`));
    only(
      seven,
      new RegExp(
        `Alice ← "Yes: same sessions, nothing paired again\\." from Bob's client, id ${ID}, ${OLD_SESSION}`,
      ),
    );

    expect(step(lines, 8)[0]).toContain(`${directory} removed`);
    expect(existsSync(directory)).toBe(false);
    expect(warnings).toEqual([]);
  });

  it('runs as `npm start` does, exits 0 and writes nothing on stderr', async () => {
    const child = spawn(
      process.execPath,
      ['--conditions=@wakit/source', '--import', 'tsx', 'tools/demo/src/main.ts'],
      {
        cwd: ROOT,
      },
    );
    const stdout: string[] = [];
    const stderr: string[] = [];
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => stdout.push(chunk));
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => stderr.push(chunk));
    // A handle left open would keep the process alive: the test timeout is the backstop.
    const status = await new Promise<number | null>((resolve) => child.on('close', resolve));
    expect(stderr.join('')).toBe('');
    expect(status).toBe(0);
    for (let n = 1; n <= 6; n++) expect(stdout.join('')).toMatch(new RegExp(`^${n}\\. `, 'm'));
    expect(stdout.join('')).toMatch(/More: `npm run tour`.*\n$/);
  });
});
