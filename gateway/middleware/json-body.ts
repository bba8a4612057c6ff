import type { MiddlewareHandler } from 'hono';
import { GatewayError } from '../../core/index.ts';

/** Deepest nesting of arrays and objects the API accepts (contract: 64). */
export const MAX_JSON_DEPTH = 64;

const JSON_MEDIA_TYPE = /^application\/([\w.-]+\+)?json$/i;

/**
 * Checks every request body of the JSON API before any handler sees it: it must be declared as
 * JSON (415 otherwise), parse (400 `malformed_json`), and nest at most {@link MAX_JSON_DEPTH} deep
 * (400 `validation_failed`). The depth is measured on the text, before parsing, so a hostile
 * document never becomes a deep object graph. The text stays cached on the request for the
 * validators that follow.
 */
export function jsonBody(): MiddlewareHandler {
  return async function jsonBody(c, next) {
    // No look at `c.req.raw.body` first: on Node that alone makes the request a web stream. A
    // request without a body reads as empty text.
    if (c.req.method === 'GET' || c.req.method === 'HEAD') return next();
    const text = await c.req.text();
    if (text.length === 0) return next();
    const mediaType = (c.req.header('Content-Type') ?? '').split(';')[0]?.trim() ?? '';
    if (!JSON_MEDIA_TYPE.test(mediaType)) {
      throw new GatewayError('unsupported_media_type', {
        detail: 'send the body as application/json',
      });
    }
    if (jsonDepth(text) > MAX_JSON_DEPTH) {
      throw new GatewayError('validation_failed', {
        status: 400,
        detail: `JSON nested deeper than ${MAX_JSON_DEPTH} levels`,
        errors: [{ path: '', message: `nesting deeper than ${MAX_JSON_DEPTH} levels` }],
      });
    }
    try {
      JSON.parse(text);
    } catch {
      // The parser's message quotes the input; it is deliberately not passed on or logged.
      throw new GatewayError('malformed_json', { detail: 'the request body is not valid JSON' });
    }
    return next();
  };
}

/**
 * The deepest nesting of `[` and `{` in a JSON text, ignoring brackets inside strings. Malformed
 * text gets a number too; the parser judges it afterwards.
 */
export function jsonDepth(text: string): number {
  let depth = 0;
  let deepest = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const ch = text.charCodeAt(i);
    if (inString) {
      if (ch === 0x5c)
        i++; // backslash: skip the escaped character
      else if (ch === 0x22) inString = false;
    } else if (ch === 0x22) inString = true;
    else if (ch === 0x5b || ch === 0x7b) {
      depth++;
      if (depth > deepest) deepest = depth;
    } else if (ch === 0x5d || ch === 0x7d) depth--;
  }
  return deepest;
}
