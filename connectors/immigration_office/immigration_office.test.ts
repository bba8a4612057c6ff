import { describe, expect, it } from 'vitest';
import { GatewayError } from '../../core/errors.ts';
import { parseMessage } from '../catalogue.ts';
import { RESIDENCE_TITLE_KINDS, immigrationOfficeConnector } from './index.ts';

/** The issue paths of the refusal `fn` throws. */
function refusedAt(fn: () => unknown): string[] {
  try {
    fn();
  } catch (error) {
    if (!(error instanceof GatewayError)) throw error;
    expect(error.code).toBe('validation_failed');
    return (error.errors ?? []).map((issue) => issue.path);
  }
  throw new Error('expected a refusal');
}

// The example of the contract (API.md, "Message types"), verbatim.
const contractExample = {
  residenceTitle: { kind: 'duldung', legalBasis: '§ 60a AufenthG', validUntil: '2027-03-31' },
  employmentPermission: { allowed: true, conditions: '…' },
};

describe('immigration office connector', () => {
  it('sends the residence status notice, the identity summary and the course entitlement', () => {
    expect(immigrationOfficeConnector.messageTypes.map((type) => type.id)).toEqual([
      'residence_status.notice',
      'identity.summary',
      'integration_course.entitlement',
    ]);
  });
});

describe('residence_status.notice', () => {
  it('accepts the contract example: residence status and employment permission', () => {
    const parsed = parseMessage('residence_status.notice', contractExample);
    expect(parsed.fields).toEqual([
      { pointer: '/residenceTitle', category: 'residence_status' },
      { pointer: '/employmentPermission', category: 'employment_permission' },
    ]);
    expect(parsed.categories).toEqual(['residence_status', 'employment_permission']);
  });

  it('adds contact when the address is there', () => {
    const parsed = parseMessage('residence_status.notice', {
      ...contractExample,
      address: { street: 'Beispielweg 4', postalCode: '50667', city: 'Köln' },
    });
    expect(parsed.categories).toEqual(['contact', 'residence_status', 'employment_permission']);
  });

  it('accepts every kind of title, and an unlimited one without validUntil', () => {
    for (const kind of RESIDENCE_TITLE_KINDS) {
      const message = { ...contractExample, residenceTitle: { kind, legalBasis: '§ 9 AufenthG' } };
      expect(parseMessage('residence_status.notice', message).categories).toContain(
        'residence_status',
      );
    }
  });

  it('refuses an unknown kind, an impossible date and a bad postal code', () => {
    expect(
      refusedAt(() =>
        parseMessage('residence_status.notice', {
          residenceTitle: { kind: 'asylum', legalBasis: '§ 55 AsylG', validUntil: '2027-02-29' },
          employmentPermission: { allowed: false },
          address: { street: 'Beispielweg 4', postalCode: '5066', city: 'Köln' },
        }),
      ),
    ).toEqual([
      '/payload/residenceTitle/kind',
      '/payload/residenceTitle/validUntil',
      '/payload/address/postalCode',
    ]);
  });

  it('refuses a permission without its allowed flag', () => {
    expect(
      refusedAt(() =>
        parseMessage('residence_status.notice', {
          ...contractExample,
          employmentPermission: { conditions: 'none' },
        }),
      ),
    ).toEqual(['/payload/employmentPermission/allowed']);
  });
});

describe('identity.summary', () => {
  const identity = {
    familyName: 'Haddad',
    birthDate: '1994-07-12',
    nationalities: ['SYR', 'XXA'],
  };

  it('carries identity, and language skills only with the languages spoken', () => {
    expect(parseMessage('identity.summary', identity).categories).toEqual(['identity']);
    expect(
      parseMessage('identity.summary', { ...identity, languagesSpoken: ['prs', 'fa'] }).categories,
    ).toEqual(['identity', 'language_skills']);
  });

  it('refuses lower-case or two-letter country codes and no nationality at all', () => {
    expect(
      refusedAt(() =>
        parseMessage('identity.summary', { ...identity, nationalities: ['syr', 'SY'] }),
      ),
    ).toEqual(['/payload/nationalities/0', '/payload/nationalities/1']);
    expect(
      refusedAt(() => parseMessage('identity.summary', { ...identity, nationalities: [] })),
    ).toEqual(['/payload/nationalities']);
  });
});

describe('integration_course.entitlement', () => {
  it('carries residence status (the grounds) and language skills (the course type)', () => {
    const parsed = parseMessage('integration_course.entitlement', {
      grounds: {
        kind: 'entitlement',
        legalBasis: '§ 44 Abs. 1 Satz 1 Nr. 1 AufenthG',
        issuedOn: '2026-10-01',
        expiresOn: '2027-10-01',
      },
      course: { type: 'general' },
    });
    expect(parsed.categories).toEqual(['residence_status', 'language_skills']);
  });

  it('refuses an implausible number of teaching units and a fractional one', () => {
    const grounds = { kind: 'obligation', legalBasis: '§ 44a AufenthG', issuedOn: '2026-10-01' };
    for (const teachingUnits of [10, 5000, 700.5]) {
      expect(
        refusedAt(() =>
          parseMessage('integration_course.entitlement', {
            grounds,
            course: { type: 'general', teachingUnits },
          }),
        ),
      ).toEqual(['/payload/course/teachingUnits']);
    }
  });
});
