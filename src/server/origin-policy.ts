/**
 * Browsers apply no CORS to WebSocket: any page may open a socket to any server, and the browser
 * only tells the server where the page came from, in `Origin`. Checking it is the server's job
 * (otherwise: cross-site WebSocket hijacking, with the user's cookies). The lab allows a page from
 * its own host, and the origins listed in LAB_ALLOWED_ORIGINS; a request with no Origin at all is
 * not from a browser (curl, Node) and is let through.
 */
export type OriginVerdict = { ok: true } | { ok: false; reason: string };

export function parseAllowedOrigins(raw: string | undefined): string[] {
  return (raw ?? '')
    .split(',')
    .map((s) => s.trim().toLowerCase().replace(/\/+$/, ''))
    .filter(Boolean);
}

export function checkOrigin(
  origin: string | undefined,
  host: string | undefined,
  allowed: readonly string[] = [],
): OriginVerdict {
  if (origin === undefined) return { ok: true };
  const normalised = origin.trim().toLowerCase();
  if (allowed.includes(normalised)) return { ok: true };
  let originHost: string;
  try {
    originHost = new URL(normalised).host;
  } catch {
    return { ok: false, reason: `Origin ${JSON.stringify(origin)} is not a valid origin` };
  }
  if (host !== undefined && originHost === host.trim().toLowerCase()) return { ok: true };
  return {
    ok: false,
    reason: `WebSocket upgrade from Origin ${origin} refused: this server only accepts pages from ${host ?? 'its own host'}${
      allowed.length ? ` or ${allowed.join(', ')}` : ''
    }. Browsers apply no CORS to WebSocket, so the server checks Origin itself.`,
  };
}
