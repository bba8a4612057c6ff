import type { MiddlewareHandler } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import { GatewayError } from '../../core/index.ts';

/**
 * Refuses bodies over `maxBytes` with 413 `payload_too_large`: at once when Content-Length says
 * so, and for chunked uploads as soon as the count passes the limit, so an oversized body is never
 * buffered whole.
 */
export function limitBody(maxBytes: number): MiddlewareHandler {
  if (!Number.isInteger(maxBytes) || maxBytes < 1) {
    throw new RangeError('limitBody needs a positive whole number of bytes');
  }
  const tooLarge = () => {
    throw new GatewayError('payload_too_large', {
      detail: `request bodies are limited to ${maxBytes} bytes`,
    });
  };
  const counting = bodyLimit({ maxSize: maxBytes, onError: tooLarge });
  return async function limitBody(c, next) {
    if (c.req.method === 'GET' || c.req.method === 'HEAD') return next();
    // A declared length is enforced by the HTTP parser, so the header alone decides. Judging by it
    // leaves the body unread: on Node, touching `c.req.raw.body` turns the request into a web
    // stream, which costs more than the rest of the check.
    const length = c.req.header('Content-Length');
    if (length !== undefined && c.req.header('Transfer-Encoding') === undefined) {
      if (!/^\d{1,15}$/.test(length)) return counting(c, next);
      if (Number(length) > maxBytes) return tooLarge();
      return next();
    }
    return counting(c, next);
  };
}
