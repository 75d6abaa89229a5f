/**
 * Browsers apply no CORS to WebSocket: any page may open a socket to any server, and the browser
 * only tells the server where the page came from, in `Origin`. Checking it is the server's job
 * (otherwise: cross-site WebSocket hijacking, with the user's cookies). The lab allows a page from
 * its own host, and the origins listed in LAB_ALLOWED_ORIGINS; a request with no Origin at all is
 * not from a browser (curl, Node) and is let through.
 */
import { isIP } from 'node:net';

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

/**
 * DNS rebinding: a page on evil.example whose name is made to resolve to 127.0.0.1 talks to the lab as
 * the same origin, so Origin tells the server nothing; only `Host` still says evil.example. The lab
 * checks it like Vite's `server.allowedHosts` / `preview.allowedHosts`: localhost and `*.localhost`, any
 * IP address (IPv4, or IPv6 in brackets) and the listed names are allowed; a name starting with a dot
 * allows that domain and its subdomains; `true` allows any host. No Host at all (HTTP/1.0) is not a
 * browser and is let through.
 */
export type AllowedHosts = readonly string[] | true;

/** LAB_ALLOWED_HOSTS: names (comma-separated, `.example.com` for a domain and its subdomains), or `true`. */
export function parseAllowedHosts(raw: string | undefined): string[] | true | undefined {
  const trimmed = (raw ?? '').trim();
  if (trimmed === '') return undefined;
  if (trimmed.toLowerCase() === 'true') return true;
  const hosts = trimmed
    .split(',')
    .map((s) => s.trim().toLowerCase())
    .filter(Boolean);
  return hosts.length ? hosts : undefined;
}

/** Both lists together; `true` wins. */
export function mergeAllowedHosts(a: AllowedHosts | undefined, b: AllowedHosts | undefined): string[] | true {
  if (a === true || b === true) return true;
  return [...new Set([...(a ?? []), ...(b ?? [])])];
}

/** The name in a Host header value (no port, lower case), or null when it is not a host[:port] at all. */
export function hostnameOf(host: string): string | null {
  const h = host.trim().toLowerCase();
  if (h.startsWith('[')) {
    const end = h.indexOf(']');
    if (end < 0 || !/^(:\d*)?$/.test(h.slice(end + 1))) return null;
    return h.slice(0, end + 1);
  }
  const colon = h.indexOf(':');
  const name = colon === -1 ? h : h.slice(0, colon);
  if (colon !== -1 && !/^\d*$/.test(h.slice(colon + 1))) return null;
  return name;
}

export function hostAllowed(host: string | undefined, allowedHosts: AllowedHosts): boolean {
  if (allowedHosts === true || host === undefined) return true;
  // As Vite does: what browser extensions and file: pages send is not a DNS name.
  if (/^(?:file|.+-extension):/i.test(host.trim())) return true;
  const name = hostnameOf(host);
  if (name === null || name === '') return false;
  if (name.startsWith('[')) return isIP(name.slice(1, -1)) === 6;
  if (isIP(name) === 4) return true;
  if (name === 'localhost' || name.endsWith('.localhost')) return true;
  for (const raw of allowedHosts) {
    const allowed = raw.trim().toLowerCase();
    if (allowed === name) return true;
    if (allowed.startsWith('.') && (allowed.slice(1) === name || name.endsWith(allowed))) return true;
  }
  return false;
}
