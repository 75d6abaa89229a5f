/**
 * The live server's options from the environment, read once at start, for the Vite plugin and for
 * the API-only server (serve-api.ts) alike. A bad value stops the start with the accepted range rather
 * than serving with a surprise.
 *
 *   LAB_TOKEN            POST /api/stream requires `Authorization: Bearer <token>` from the start
 *   LAB_ALLOWED_ORIGINS  more origins (comma-separated) that may open a WebSocket, read the streams and use the control endpoints
 *   LAB_MAX_RATE         the highest rate (msg/s) a ticker or binary stream may ask for (default 20000)
 */
import type { LabServerOptions } from './lab-server.ts';
import { parseAllowedOrigins } from './origin-policy.ts';
import { maxRateSpec, parseParam } from '../protocol/scenarios.ts';

export function labOptionsFromEnv(options: LabServerOptions, env: NodeJS.ProcessEnv = process.env): LabServerOptions {
  let out = options;
  if (out.token === undefined && env.LAB_TOKEN) out = { ...out, token: env.LAB_TOKEN };
  if (out.allowedOrigins === undefined && env.LAB_ALLOWED_ORIGINS) {
    out = { ...out, allowedOrigins: parseAllowedOrigins(env.LAB_ALLOWED_ORIGINS) };
  }
  if (out.maxRate === undefined && env.LAB_MAX_RATE) {
    const maxRate = parseParam(maxRateSpec, env.LAB_MAX_RATE);
    if (!maxRate.ok) throw new RangeError(maxRate.error);
    out = { ...out, maxRate: maxRate.value };
  }
  return out;
}
