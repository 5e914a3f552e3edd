/**
 * Recorded data the tour runs on. Both come from real WhatsApp traffic recorded by the
 * whatsapp-rust authors (oxidezap/whatsapp-rust @ 1489b7da9a6a, MIT); the packages' test vectors
 * carry the full provenance (packages/binary-node/test/vectors, packages/proto/test/vectors).
 */

/** The `<success>` stanza the server sends after a login (frame payload, flag byte included). */
export const SUCCESS_FRAME_HEX =
  '00f80f4c1aff0517520218905cee043dfc0366726376f7012aff88100000000000001f4becb43cff051752020041ece6' +
  'fc2c643559623557784c2b6b35554b5148564936627546524751456a30475a413565767a3862365632786b64773d';

/** The server's certificate chain from a recorded Noise handshake (decrypted ServerHello payload). */
export const CERT_CHAIN_HEX =
  '0a770a3308c90210031a205854d333d8e13975abd6597bbaddd49d6935ced25c93a44bd3ade508f2bec33020d08f87bf' +
  '0628d0c99fc406124019cbee71b63bb8048af269f3aa7c13c62a1fd89ac4ef2509d1d78d68267f40393b49a9cc38db05' +
  'e35a6c5bf3ba6172a4c5325f25f363338cf8f3535a4cd9520512760a32080310001a201c51a9ac303994c6c8d0b92ea1' +
  '878a533476599cc599fbea35997d9aa90cce62208091aebe0628ffdeb7dc061240270f294648539fed4870e25054dd4e' +
  '95983aba29189c2ba6c8eeda7055555f753740f5ec192ab64c26c26d6ade6d20b9f774aee37120a6b20395f53c660585' +
  '07';
