/** What the live adapter's modules share per server: the backend and the node-side settings. */
import type { Backend } from '../../backend/backend.ts';

export interface LiveContext {
  backend: Backend;
  /** Origins allowed besides the server's own host (LAB_ALLOWED_ORIGINS). */
  allowedOrigins: readonly string[];
  /** A WebSocket whose send buffer holds more than this pauses its player. */
  wsHighWaterMark: number;
  /** A small number per TCP connection, so the page can tell whether requests shared one. */
  socketId(socket: object): number;
}

export function socketIds(): (socket: object) => number {
  const ids = new WeakMap<object, number>();
  let next = 1;
  return (socket) => {
    let id = ids.get(socket);
    if (id === undefined) ids.set(socket, (id = next++));
    return id;
  };
}
