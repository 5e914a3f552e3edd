/**
 * @packageDocumentation
 * `@wakit/noise/testing`: a certificate authority for test servers. It issues WhatsApp-shaped
 * certificate chains (a root, an intermediate, a leaf for the server's Noise static key) under a
 * root key of your own, which clients then trust through `verifyCertChain({ rootPublicKey })`.
 * Real clients only ever verify chains (`@wakit/noise`); issuing them is for @wakit/server, tests,
 * fuzzers and demos.
 */
export {
  type CertificateDetails,
  type CertificateFields,
  type IssueCertChainOptions,
  type IssuedCertChain,
  issueCertChain,
  signCertificate,
} from './cert-chain-issue';
