/**
 * When a trusted-contact token is too old to attach, and when to issue ours again. WhatsApp counts
 * time in buckets (whatsapp-rust wacore/src/iq/tctoken.rs, whatsmeow tctoken.go, from WA Web's AB
 * props `tctoken_duration` = 604800 s and `tctoken_num_buckets` = 4): a token is valid while it was
 * issued in the current bucket or the three before it, so the cutoff moves a whole week at a time,
 * and we issue our token to a peer at most once per bucket.
 */

/** One bucket: 7 days, in seconds. */
export const TC_TOKEN_BUCKET_SECONDS = 604_800;
/** Buckets a token stays valid for, the current one included (about 28 days). */
export const TC_TOKEN_BUCKETS = 4;

/** The oldest issue time (unix seconds) still valid at `nowSeconds`: the start of the oldest live bucket. */
export function tcTokenCutoff(nowSeconds: number): number {
  const current = Math.floor(nowSeconds / TC_TOKEN_BUCKET_SECONDS);
  return (current - (TC_TOKEN_BUCKETS - 1)) * TC_TOKEN_BUCKET_SECONDS;
}

/** True when a token issued at `t` is too old to use at `nowSeconds`. */
export function isTcTokenExpired(t: number, nowSeconds: number): boolean {
  return t < tcTokenCutoff(nowSeconds);
}

/**
 * True when our token should be issued to a peer again: never issued, or last issued in an earlier
 * bucket. A clock that went backwards (`issuedAt` in a later bucket) does not re-issue.
 */
export function shouldIssueTcToken(issuedAt: number | undefined, nowSeconds: number): boolean {
  if (issuedAt === undefined) return true;
  return Math.floor(nowSeconds / TC_TOKEN_BUCKET_SECONDS) > Math.floor(issuedAt / TC_TOKEN_BUCKET_SECONDS);
}
