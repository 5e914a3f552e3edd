import { describe, expect, it } from 'vitest';
import { DEMO_PHONE_NUMBER, loginDemo } from '../src/login-demo';

describe('npm start linking demo', () => {
  it('links by QR through the virtual phone, logs in, and logs in again from SQLite without a QR', async () => {
    const lines: string[] = [];
    await loginDemo({ print: (line) => lines.push(line), showQr: true });
    const text = lines.join('\n');
    const jid = `${DEMO_PHONE_NUMBER}:1@s.whatsapp.net`;

    const [beforeRestart, afterRestart] = text.split('3. The process restarts');
    expect(afterRestart).toBeDefined();
    // Before the restart: registration, a QR code drawn in half blocks, pairing, 515, login, prekeys.
    expect(beforeRestart).toMatch(
      /QR code \(valid 60 s\): https:\/\/wa\.me\/settings\/linked_devices#[^,]+,/,
    );
    expect(beforeRestart).toMatch(/[▀▄█]{10}/);
    expect(beforeRestart).toContain('registering');
    expect(beforeRestart).toContain(`paired: the phone signed this device as ${jid}`);
    expect(beforeRestart).toContain('stream error 515');
    expect(beforeRestart).toContain('uploaded 812 one-time prekeys');
    expect(beforeRestart).toContain(`logged in as ${jid}`);
    // After the restart: a login, no QR code, no pairing, and the server answers a ping.
    expect(afterRestart).toContain('logging in');
    expect(afterRestart).not.toContain('QR code');
    expect(afterRestart).not.toContain('paired:');
    expect(afterRestart).toMatch(/<success t="\d+">/);
    expect(afterRestart).toContain('keepalive ping answered: <iq type="result">');
    expect(text).toContain('Everything closed');
  });
});
