import { describe, expect, it } from 'vitest';
import { NRW_SUPERVISORY_AUTHORITY } from '../tenants/index.ts';
import type { ConsentRecord } from './ports.ts';
import { receiptClaims, RECEIPT_SCHEMA, type ReceiptInput } from './receipt.ts';

const consent: ConsentRecord = {
  id: 'cs_1',
  tenantId: 'koeln',
  subject: 'sub_pseudonym',
  requestId: 'cr_1',
  senders: ['abh'],
  recipients: ['jc'],
  purpose: 'labour_market_integration',
  categories: ['residence_status', 'employment_permission'],
  validFrom: '2026-11-25T10:00:00.000Z',
  validUntil: '2027-11-25T00:00:00.000Z',
  language: 'de',
  noticeHash: 'ungWv48Bz-pBQUDeXa4iI7ADYaOWF3qctBD_YfIAFa0',
  channel: 'portal-code',
  assurance: 'low',
  receiptId: 'rc_1',
  receipt: '',
  createdAt: '2026-11-25T10:00:00.000Z',
};

const input = (overrides: Partial<ReceiptInput> = {}): ReceiptInput => ({
  consent,
  consentVersion: 1,
  controllers: [
    {
      id: 'abh',
      name: 'Ausländerbehörde Köln',
      agencyType: 'immigration_office',
      role: 'sender',
      address: 'Willy-Brandt-Platz 3, 50679 Köln',
      dpoContact: 'datenschutz@stadt-koeln.de',
    },
    {
      id: 'jc',
      name: 'Jobcenter Köln',
      agencyType: 'jobcenter',
      role: 'recipient',
      address: null,
      dpoContact: null,
      retentionDays: 365,
    },
  ],
  supervisoryAuthority: NRW_SUPERVISORY_AUTHORITY,
  issuer: 'https://gateway.example',
  withdrawal: [
    { method: 'portal-withdrawal-code', url: 'https://gateway.example/portal/withdraw' },
    { method: 'portal-eid', url: 'https://gateway.example/portal/eid' },
    { method: 'office' },
  ],
  at: new Date('2026-11-25T10:00:05Z'),
  ...overrides,
});

describe('receiptClaims', () => {
  it('names the record as ISO/IEC TS 27560 does: header, purposes, parties, events', () => {
    const claims = receiptClaims(input());
    expect(claims).toMatchObject({
      iss: 'https://gateway.example',
      sub: 'sub_pseudonym',
      iat: 1_795_600_805,
      jti: 'rc_1',
      schema_version: RECEIPT_SCHEMA,
      receipt_id: 'rc_1',
      record_id: 'cs_1',
      record_version: 1,
      pii_principal_id: 'sub_pseudonym',
      language: 'de',
      privacy_notice: { hash_alg: 'SHA-256', hash: consent.noticeHash },
      jurisdiction: 'DE-NW',
    });
    const [purpose] = claims.purposes;
    expect(purpose).toMatchObject({
      purpose: 'labour_market_integration',
      pii_information: [
        { pii_type: 'residence_status', special_pii_category: false },
        { pii_type: 'employment_permission', special_pii_category: false },
      ],
      pii_controllers: ['abh', 'jc'],
      recipient_third_parties: ['jc'],
      retention_period: [{ party_id: 'jc', duration: 'P365D' }],
      privacy_rights: ['eu-gdpr:A7-3', 'eu-gdpr:A15', 'eu-gdpr:A77'],
      authority_party: 'supervisory-authority',
    });
    expect(claims.prefixes).toEqual({
      dpv: 'https://w3id.org/dpv#',
      'eu-gdpr': 'https://w3id.org/dpv/legal/eu/gdpr#',
    });
  });

  it('names the legal basis as DPV terms: consent, plus explicit consent only for health', () => {
    const plain = receiptClaims(input());
    expect(plain.purposes[0]?.lawful_basis).toEqual([
      { type: 'dpv:Consent', id: 'eu-gdpr:A6-1-a', label: 'GDPR Art. 6(1)(a)' },
    ]);
    expect(plain.events[0]?.event_type).toBe('dpv:ExpressedConsent');
    const health = receiptClaims(
      input({ consent: { ...consent, categories: ['residence_status', 'health'] } }),
    );
    expect(health.purposes[0]?.lawful_basis).toEqual([
      { type: 'dpv:Consent', id: 'eu-gdpr:A6-1-a', label: 'GDPR Art. 6(1)(a)' },
      { type: 'dpv:ExplicitlyExpressedConsent', id: 'eu-gdpr:A9-2-a', label: 'GDPR Art. 9(2)(a)' },
    ]);
    expect(health.purposes[0]?.pii_information).toContainEqual({
      pii_type: 'health',
      special_pii_category: true,
    });
    expect(health.events[0]?.event_type).toBe('dpv:ExplicitlyExpressedConsent');
  });

  it('names each office as controller with address and DPO, and the supervisory authority', () => {
    const { parties } = receiptClaims(input());
    expect(parties).toEqual([
      {
        party_id: 'abh',
        party_name: 'Ausländerbehörde Köln',
        party_role: 'dpv:DataController',
        party_type: 'dpv:DataExporter',
        agency_type: 'immigration_office',
        party_address: 'Willy-Brandt-Platz 3, 50679 Köln',
        data_protection_officer: {
          party_role: 'dpv:DataProtectionOfficer',
          party_contact: 'datenschutz@stadt-koeln.de',
        },
      },
      {
        party_id: 'jc',
        party_name: 'Jobcenter Köln',
        party_role: 'dpv:DataController',
        party_type: 'dpv:Recipient',
        agency_type: 'jobcenter',
      },
      {
        party_id: 'supervisory-authority',
        party_name: NRW_SUPERVISORY_AUTHORITY.name,
        party_role: 'dpv:DataProtectionAuthority',
        party_address: 'Kavalleriestraße 2–4, 40213 Düsseldorf',
        party_email: 'poststelle@ldi.nrw.de',
        party_url: 'https://www.ldi.nrw.de',
      },
    ]);
  });

  it('records every way to withdraw it is given, the offices for telling an office', () => {
    const { purposes } = receiptClaims(input());
    expect(purposes[0]?.withdrawal_method).toEqual([
      {
        method: 'portal-withdrawal-code',
        consent_control: 'dpv:WithdrawConsent',
        url: 'https://gateway.example/portal/withdraw',
      },
      {
        method: 'portal-eid',
        consent_control: 'dpv:WithdrawConsent',
        url: 'https://gateway.example/portal/eid',
      },
      { method: 'office', consent_control: 'dpv:WithdrawConsent', party_ids: ['abh', 'jc'] },
    ]);
    expect(() => receiptClaims(input({ withdrawal: [] }))).toThrow(/withdraw/);
  });

  it('carries the channel and assurance of the grant, and the given-consent event', () => {
    const eid = receiptClaims(
      input({ consent: { ...consent, channel: 'portal-eid', assurance: 'substantial' } }),
    );
    expect(eid).toMatchObject({ channel: 'portal-eid', assurance: 'substantial' });
    expect(eid.events).toEqual([
      {
        event_time: consent.createdAt,
        validity_duration: { from: consent.validFrom, until: consent.validUntil },
        entity_id: 'sub_pseudonym',
        event_type: 'dpv:ExpressedConsent',
        event_state: 'dpv:ConsentGiven',
      },
    ]);
    expect(receiptClaims(input())).toMatchObject({ channel: 'portal-code', assurance: 'low' });
  });

  it('carries no camelCase claim of the first receipt version', () => {
    const json = JSON.stringify(receiptClaims(input()));
    for (const old of ['piiControllers', 'collectionMethod', 'withdrawalMethod', 'legalBasis']) {
      expect(json).not.toContain(`"${old}"`);
    }
  });
});
