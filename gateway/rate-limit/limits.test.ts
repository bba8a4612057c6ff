import { describe, expect, it } from 'vitest';
import { rateLimitField, rateLimitPolicyField } from './headers.ts';
import { parseRateLimit, rateLimitsOf, routeClassOf } from './limits.ts';

describe('parseRateLimit', () => {
  it.each([
    ['50/s,burst=100', { rate: 50, burst: 100 }],
    ['50/s', { rate: 50, burst: 50 }],
    ['600/min', { rate: 10, burst: 600 }],
    ['3600/h, burst=10', { rate: 1, burst: 10 }],
    [' 5 / s , burst = 7 ', { rate: 5, burst: 7 }],
  ])('reads %j', (text, limit) => {
    expect(parseRateLimit(text)).toEqual(limit);
  });

  it.each([
    '',
    '50',
    '50/d',
    '0/s',
    '50/s,burst=0',
    '-1/s',
    '1.5/s',
    '50/s,burst=',
    'off',
    '50/s;burst=100',
    '2000000/s',
  ])('refuses %j', (text) => {
    expect(parseRateLimit(text)).toBeUndefined();
  });
});

describe('routeClassOf', () => {
  it.each([
    ['/v1/exchanges', 'send'],
    ['/v1/mailbox', 'mailbox'],
    ['/v1/mailbox/abc/ack', 'mailbox'],
    ['/v1/consent-requests', 'consent-requests'],
    ['/v1/consents', 'consent-requests'],
    ['/v1/consents/c-1/revoke', 'consent-requests'],
    ['/v1/consent-events', 'consent-requests'],
    ['/v1/audit/entries', 'audit'],
    ['/v1/subjects/erasure', 'audit'],
    ['/v1/whoami', undefined],
    ['/v1/portal/session', undefined],
    ['/v1/exchangesX', undefined],
    ['/v1/mailboxes', undefined],
  ])('%s is %s', (path, routeClass) => {
    expect(routeClassOf(path)).toBe(routeClass);
  });
});

describe('rateLimitsOf', () => {
  it('gives every class the default unless overridden', () => {
    expect(rateLimitsOf({ send: { rate: 5, burst: 10 } })).toEqual({
      send: { rate: 5, burst: 10 },
      mailbox: { rate: 50, burst: 100 },
      'consent-requests': { rate: 50, burst: 100 },
      audit: { rate: 50, burst: 100 },
    });
  });
});

describe('RateLimit fields', () => {
  it('writes the structured-field form of draft-ietf-httpapi-ratelimit-headers-11', () => {
    expect(rateLimitPolicyField('send', { rate: 50, burst: 100 })).toBe('"send";q=100;w=2');
    expect(rateLimitPolicyField('audit', { rate: 1000, burst: 100 })).toBe('"audit";q=100;w=1');
    expect(
      rateLimitField('send', {
        allowed: false,
        remaining: 0,
        resetSeconds: 2,
        retryAfterSeconds: 1,
        refusalsInRow: 1,
      }),
    ).toBe('"send";r=0;t=2');
  });
});
