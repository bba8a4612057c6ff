import { describe, expect, it } from 'vitest';
import { GatewayError } from '../core/index.ts';
import { normalizeSerial, randomSerial } from './serial.ts';

function refusalOf(run: () => unknown): GatewayError {
  try {
    run();
  } catch (error) {
    expect(error).toBeInstanceOf(GatewayError);
    return error as GatewayError;
  }
  throw new Error('expected a GatewayError');
}

describe('normalizeSerial', () => {
  it.each([
    ['0A1B2C', 'a1b2c'],
    ['0a1b2c', 'a1b2c'],
    ['000A1B2C', 'a1b2c'],
    ['0a:1b:2c', 'a1b2c'],
    ['0x0A1B2C', 'a1b2c'],
    ['serial=0A1B2C', 'a1b2c'],
    ['  5F3E\n', '5f3e'],
    ['0', '0'],
    ['0000', '0'],
  ])('reads %j as %j', (input, expected) => {
    expect(normalizeSerial(input)).toBe(expected);
  });

  it('makes the openssl spelling and our own spelling of one serial equal', () => {
    expect(normalizeSerial('serial=00F0E1D2C3')).toBe(normalizeSerial('f0:e1:d2:c3'));
  });

  it.each(['', '0x', 'xyz', '12 34', '-1a', '1a-2b', 'g0'])(
    'refuses %j with validation_failed',
    (input) => {
      const error = refusalOf(() => normalizeSerial(input));
      expect(error.code).toBe('validation_failed');
      expect(error.detail).toMatch(/hexadecimal/);
    },
  );

  it('refuses absurdly long serials', () => {
    expect(refusalOf(() => normalizeSerial('1'.repeat(65))).code).toBe('validation_failed');
    expect(normalizeSerial(`0000${'1'.repeat(64)}`)).toBe('1'.repeat(64));
  });
});

describe('randomSerial', () => {
  it('is normalised hex of at most 128 bits with the top bit clear', () => {
    for (let i = 0; i < 200; i++) {
      const serial = randomSerial();
      expect(serial).toMatch(/^[1-9a-f][0-9a-f]{0,31}$/);
      expect(normalizeSerial(serial)).toBe(serial);
      // Padded back to 16 octets, the first one is below 0x80: a positive DER INTEGER.
      expect(Number.parseInt(serial.padStart(32, '0').slice(0, 2), 16)).toBeLessThan(0x80);
    }
  });

  it('does not repeat', () => {
    const serials = new Set(Array.from({ length: 1000 }, () => randomSerial()));
    expect(serials.size).toBe(1000);
  });

  it('carries about 127 bits: most draws use 31 or 32 hex digits', () => {
    const lengths = Array.from({ length: 200 }, () => randomSerial().length);
    expect(lengths.filter((length) => length >= 31).length).toBeGreaterThan(180);
  });
});
