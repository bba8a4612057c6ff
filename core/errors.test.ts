import { describe, expect, it } from 'vitest';
import { GatewayError, errorStatus, errorTitle, isGatewayError } from './errors.ts';

describe('GatewayError', () => {
  it('answers with the status that belongs to its code', () => {
    expect(new GatewayError('consent_missing').status).toBe(403);
    expect(new GatewayError('validation_failed').status).toBe(422);
    expect(new GatewayError('payload_too_large').status).toBe(413);
  });

  it('lets an occurrence override the status but keeps the code', () => {
    const error = new GatewayError('validation_failed', { status: 400 });
    expect(error.status).toBe(400);
    expect(error.code).toBe('validation_failed');
  });

  it('carries issues, reasons and fields as given', () => {
    const error = new GatewayError('fields_not_covered', {
      fields: [{ pointer: '/address', category: 'contact' }],
    });
    expect(error.fields).toEqual([{ pointer: '/address', category: 'contact' }]);
    expect(error.errors).toBeUndefined();
  });

  it('has a title for every code and only client or server error statuses', () => {
    for (const [code, status] of Object.entries(errorStatus)) {
      expect(errorTitle[code as keyof typeof errorStatus]).toMatch(/\w/);
      expect(status).toBeGreaterThanOrEqual(400);
      expect(status).toBeLessThan(600);
    }
  });

  it('is recognised by isGatewayError, plain errors are not', () => {
    expect(isGatewayError(new GatewayError('conflict'))).toBe(true);
    expect(isGatewayError(new Error('conflict'))).toBe(false);
    expect(isGatewayError({ code: 'conflict', status: 409 })).toBe(false);
  });
});
