/**
 * Who may drive the lab's control endpoints (POST /api/faults, /api/auth, /api/chat and
 * GET /api/memory): the lab's own page, the origins listed in LAB_ALLOWED_ORIGINS, and clients that
 * are not browsers (curl, Node, SDKs: they send neither Origin nor Sec-Fetch-Site).
 *
 * Without this any page the user visits could post a plain form to them (a "simple" cross-origin
 * request needs no preflight) and set the token, drop the user's streams or start an outage. The
 * content type is checked by the caller (application/json only, which a form cannot send); this
 * checks where the request came from. The Host itself is checked in front of everything (DNS
 * rebinding: see http-guard.ts), so an Origin equal to the Host really is the lab's own page.
 */
export type ControlVerdict = { ok: true } | { ok: false; reason: string };

function header(value: string | string[] | undefined): string | undefined {
  return Array.isArray(value) ? value[0] : value;
}

export function checkControlRequest(
  headers: Record<string, string | string[] | undefined>,
  allowedOrigins: readonly string[] = [],
): ControlVerdict {
  const origin = header(headers.origin)?.trim().toLowerCase();
  const host = header(headers.host)?.trim().toLowerCase();
  const site = header(headers['sec-fetch-site'])?.trim().toLowerCase();
  if (origin !== undefined) {
    if (allowedOrigins.includes(origin)) return { ok: true };
    let originHost: string | null = null;
    try {
      originHost = origin === 'null' ? null : new URL(origin).host;
    } catch {
      originHost = null;
    }
    if (originHost === null || originHost !== host) {
      return {
        ok: false,
        reason: `control endpoints answer only the lab's own page (or LAB_ALLOWED_ORIGINS); this request came from another origin`,
      };
    }
    return { ok: true };
  }
  // No Origin: a browser still says where a request came from in Sec-Fetch-Site (a top-level GET
  // from the address bar is "none").
  if (site !== undefined && site !== 'same-origin' && site !== 'none') {
    return { ok: false, reason: `control endpoints answer only the lab's own page; this request is ${site}` };
  }
  return { ok: true };
}
