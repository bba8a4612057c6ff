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
  return bodyLimit({
    maxSize: maxBytes,
    onError: () => {
      throw new GatewayError('payload_too_large', {
        detail: `request bodies are limited to ${maxBytes} bytes`,
      });
    },
  });
}
