/**
 * WebSocket wire facts (RFC 6455), pure and isomorphic: frame header sizes and the handshake's
 * accept value. The accept uses Web Crypto (`crypto.subtle`), present in browsers and in Node ≥ 19.
 */

export const WEBSOCKET_GUID = '258EAFA5-E914-47DA-95CA-C5AB0DC85B11';

/**
 * Header bytes of one unfragmented frame carrying `payloadLength` bytes: 2, then 2 or 8 more for
 * lengths over 125 or 65 535, and 4 for the mask (client → server frames are always masked).
 */
export function frameHeaderBytes(payloadLength: number, masked = false): number {
  const extended = payloadLength <= 125 ? 0 : payloadLength <= 0xffff ? 2 : 8;
  return 2 + extended + (masked ? 4 : 0);
}

/** Sec-WebSocket-Accept for a Sec-WebSocket-Key: base64(SHA-1(key + GUID)). */
export async function websocketAccept(key: string): Promise<string> {
  const digest = await crypto.subtle.digest('SHA-1', new TextEncoder().encode(key + WEBSOCKET_GUID));
  let binary = '';
  for (const byte of new Uint8Array(digest)) binary += String.fromCharCode(byte);
  return btoa(binary);
}
