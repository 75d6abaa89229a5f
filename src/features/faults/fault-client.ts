/** Sends a fault to whatever serves the streams: the live server in Live mode, the mocks in Mock mode. */
import type { Fault } from '../../protocol/faults.ts';
import type { Mode } from '../run/use-run.ts';
import type { LocalText } from '../../i18n/local-text.ts';

/** `error`: the server's own reason (English, shown as it is), or the lab's words by key. */
export type FaultResult = { ok: true; dropped?: number } | { ok: false; error: LocalText | string };

function unreachable(path: string, error: unknown): LocalText {
  return { key: 'faults.unreachable', vars: { path, error: error instanceof Error ? error.message : String(error) } };
}

export async function sendFault(mode: Mode, fault: Fault): Promise<FaultResult> {
  if (mode === 'mock') {
    const { applyMockFault } = await import('../../mocks/handlers.ts');
    const answer = applyMockFault(fault);
    return { ok: true, dropped: typeof answer.dropped === 'number' ? answer.dropped : undefined };
  }
  let response: Response;
  try {
    response = await fetch('/api/faults', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(fault),
    });
  } catch (error) {
    return { ok: false, error: unreachable('/api/faults', error) };
  }
  const body: unknown = await response.json().catch(() => null);
  const record = typeof body === 'object' && body !== null ? (body as Record<string, unknown>) : {};
  if (!response.ok) {
    return { ok: false, error: typeof record.error === 'string' ? record.error : `HTTP ${response.status}` };
  }
  return { ok: true, dropped: typeof record.dropped === 'number' ? record.dropped : undefined };
}

/** The token this page last set on the live server: changing or clearing it takes that token. */
let activeToken: string | null = null;

/**
 * Makes the server (or the mock) require a bearer token on POST /api/stream, or stop requiring one.
 * The live server only lets whoever knows the active token change it: this sends the one this page
 * set, else `current` (e.g. the LAB_TOKEN the server was started with, typed into the field).
 */
export async function setServerToken(mode: Mode, token: string | null, current?: string): Promise<FaultResult> {
  if (mode === 'mock') {
    const { setMockToken } = await import('../../mocks/handlers.ts');
    setMockToken(token);
    return { ok: true };
  }
  try {
    const proof = activeToken ?? current;
    const response = await fetch('/api/auth', {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...(proof ? { authorization: `Bearer ${proof}` } : {}) },
      body: JSON.stringify({ token }),
    });
    const body: unknown = await response.json().catch(() => null);
    if (response.ok) {
      activeToken = token;
      return { ok: true };
    }
    const error = typeof body === 'object' && body !== null ? (body as { error?: unknown }).error : undefined;
    return { ok: false, error: typeof error === 'string' ? error : `HTTP ${response.status}` };
  } catch (error) {
    return { ok: false, error: unreachable('/api/auth', error) };
  }
}
