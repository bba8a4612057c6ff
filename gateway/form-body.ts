import type { Context } from 'hono';
import { GatewayError } from '../core/index.ts';
import type { GatewayEnv } from './env.ts';

/** The string fields of a posted HTML form; anything but a form body is refused. */
export async function formFields(c: Context<GatewayEnv>): Promise<Record<string, string>> {
  const type = (c.req.header('Content-Type') ?? '').split(';')[0]?.trim().toLowerCase();
  if (type !== 'application/x-www-form-urlencoded' && type !== 'multipart/form-data') {
    throw new GatewayError('unsupported_media_type', { detail: 'send the form as a form' });
  }
  let body: Awaited<ReturnType<typeof c.req.parseBody>>;
  try {
    body = await c.req.parseBody();
  } catch {
    // A broken multipart or form body is the sender's mistake, never the gateway's (500).
    throw new GatewayError('validation_failed', {
      status: 400,
      detail: 'the form body cannot be read',
      errors: [{ path: '', message: 'malformed form body' }],
    });
  }
  const fields: Record<string, string> = {};
  for (const [key, value] of Object.entries(body))
    if (typeof value === 'string') fields[key] = value;
  return fields;
}
