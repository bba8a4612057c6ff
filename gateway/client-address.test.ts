import { describe, expect, it } from 'vitest';
import { clientAddressOf } from './client-address.ts';

describe('clientAddressOf', () => {
  it('is the socket peer when no proxy is trusted, whatever X-Forwarded-For claims', () => {
    expect(clientAddressOf('198.51.100.7', '203.0.113.9', [])).toBe('198.51.100.7');
  });

  it('takes the right-most address a trusted proxy saw, ignoring what the client wrote', () => {
    expect(clientAddressOf('10.0.0.2', 'forged, 203.0.113.9, 198.51.100.7', ['10.0.0.2'])).toBe(
      '198.51.100.7',
    );
    expect(
      clientAddressOf('::ffff:10.0.0.2', '198.51.100.7, 10.0.0.3', ['10.0.0.2', '10.0.0.3']),
    ).toBe('198.51.100.7');
  });

  it('falls back to the socket when the header is missing or holds nothing usable', () => {
    expect(clientAddressOf('10.0.0.2', undefined, ['10.0.0.2'])).toBe('10.0.0.2');
    expect(clientAddressOf('10.0.0.2', '<script>', ['10.0.0.2'])).toBe('10.0.0.2');
    expect(clientAddressOf(undefined, '198.51.100.7', ['10.0.0.2'])).toBeUndefined();
  });
});
