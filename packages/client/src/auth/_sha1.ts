/**
 * SHA-1 (FIPS 180-4 §6.1), for one purpose: the server's key-bundle digest is a SHA-1 hash
 * (PROTOCOL.md §6.5), and checking it means computing it. The CryptoProvider has no SHA-1 and
 * should not grow one for a broken hash that only compares two copies of our own public keys, so
 * this small implementation lives here, like `_md5.ts`. Not for security.
 */

/** FIPS 180-4 §5.3.1: the initial hash value. */
const H0 = [0x67452301, 0xefcdab89, 0x98badcfe, 0x10325476, 0xc3d2e1f0] as const;

const rotl = (x: number, n: number) => (x << n) | (x >>> (32 - n));

/** The 20-byte SHA-1 digest of `data`. */
export function sha1(data: Uint8Array): Uint8Array {
  // §5.1.1: 0x80, zeros to 56 mod 64, then the length in bits as 64 bits big-endian.
  const padded = new Uint8Array((((data.length + 8) >> 6) + 1) << 6);
  padded.set(data);
  padded[data.length] = 0x80;
  const view = new DataView(padded.buffer);
  view.setUint32(padded.length - 8, Math.floor(data.length / 0x20000000));
  view.setUint32(padded.length - 4, (data.length << 3) >>> 0);

  const h: number[] = [...H0];
  const w = new Int32Array(80);
  for (let block = 0; block < padded.length; block += 64) {
    // §6.1.2 step 1: the message schedule.
    for (let t = 0; t < 16; t++) w[t] = view.getInt32(block + 4 * t);
    for (let t = 16; t < 80; t++) w[t] = rotl(w[t - 3]! ^ w[t - 8]! ^ w[t - 14]! ^ w[t - 16]!, 1);
    let [a, b, c, d, e] = h as [number, number, number, number, number];
    for (let t = 0; t < 80; t++) {
      // §4.1.1 f_t and §4.2.1 K_t, by round.
      let f: number;
      let k: number;
      if (t < 20) {
        f = (b & c) | (~b & d);
        k = 0x5a827999;
      } else if (t < 40) {
        f = b ^ c ^ d;
        k = 0x6ed9eba1;
      } else if (t < 60) {
        f = (b & c) | (b & d) | (c & d);
        k = 0x8f1bbcdc;
      } else {
        f = b ^ c ^ d;
        k = 0xca62c1d6;
      }
      const temp = (rotl(a, 5) + f + e + k + w[t]!) | 0;
      e = d;
      d = c;
      c = rotl(b, 30);
      b = a;
      a = temp;
    }
    h[0] = (h[0]! + a) | 0;
    h[1] = (h[1]! + b) | 0;
    h[2] = (h[2]! + c) | 0;
    h[3] = (h[3]! + d) | 0;
    h[4] = (h[4]! + e) | 0;
  }
  const out = new Uint8Array(20);
  const outView = new DataView(out.buffer);
  for (let i = 0; i < 5; i++) outView.setInt32(4 * i, h[i]!);
  return out;
}
