/**
 * Faults and the server's token, as react-query mutations on the lab API: POST /api/faults and
 * POST /api/auth, answered by the live server in Live mode and by the mock in Mock mode.
 */
import { useMutation } from '@tanstack/react-query';
import type { Fault } from '../../protocol/faults.ts';
import type { LocalText } from '../../i18n/local-text.ts';
import { isLabApiError } from '../../lib/lab-api.ts';
import { labApi, type Mode } from '../../lib/mode.ts';

/**
 * How a failed fault or token request is shown: the server's own reason (English, shown as it is) or
 * `HTTP <status>`, or the lab's words by key when nothing answered.
 */
export function faultErrorText(error: unknown, path: string): LocalText | string {
  if (isLabApiError(error) && error.code !== 'network') return error.message;
  const cause = isLabApiError(error) ? error.message : error instanceof Error ? error.message : String(error);
  return { key: 'faults.unreachable', vars: { path: isLabApiError(error) ? error.path : path, error: cause } };
}

export function useFaultMutation(mode: Mode) {
  return useMutation({ mutationFn: (fault: Fault) => labApi(mode).fault(fault) });
}

/**
 * Makes the server (or the mock) require a bearer token on POST /api/stream, or stop requiring one.
 * `current`: the token to prove with when this page did not set the active one itself (e.g. the
 * LAB_TOKEN the server was started with, typed into the field).
 */
export function useTokenMutation(mode: Mode) {
  return useMutation({
    mutationFn: ({ token, current }: { token: string | null; current?: string }) => labApi(mode).setToken(token, current),
  });
}
