/**
 * The signed receipt a person gets on grant: a copy of the consent record whose claims are named
 * after the fields of ISO/IEC TS 27560:2023 (consent record information structure) and whose
 * values are W3C Data Privacy Vocabulary (DPV) terms where DPV has one. `docs/receipt.md` maps
 * every claim to its ISO field and DPV term.
 */
import { SPECIAL_CATEGORIES, type DataCategory } from '../policies/index.ts';
import type { SupervisoryAuthority } from '../tenants/index.ts';
import type { Assurance, Channel } from './assurance.ts';
import type { ConsentRecord } from './ports.ts';
import type { WithdrawalMethod } from './withdrawal-methods.ts';

/** Version 2 names claims after ISO/IEC TS 27560; version 1 used Kantara-style camelCase. */
export const RECEIPT_SCHEMA = 'urn:consent-gateway:receipt:2';
export const RECEIPT_TYP = 'consent-receipt+jwt';

/** The prefixes of the compact IRIs (CURIEs) the receipt's values use. */
export const RECEIPT_PREFIXES = {
  dpv: 'https://w3id.org/dpv#',
  'eu-gdpr': 'https://w3id.org/dpv/legal/eu/gdpr#',
} as const;

/** The `party_id` of the supervisory authority among the receipt's parties. */
export const SUPERVISORY_AUTHORITY_PARTY = 'supervisory-authority';

/** An office named in the receipt: a controller, as sender or recipient of the data. */
export interface ReceiptController {
  readonly id: string;
  readonly name: string;
  readonly agencyType: string;
  readonly role: 'sender' | 'recipient';
  readonly address: string | null;
  readonly dpoContact: string | null;
  /** Recipients: the most days the policy lets them keep what they receive. */
  readonly retentionDays?: number;
}

/** One way to withdraw, with where to do it when that is a web page. */
export interface WithdrawalOption {
  readonly method: WithdrawalMethod;
  readonly url?: string;
}

/** A legal basis as a DPV concept and the GDPR article that DPV's GDPR extension names. */
export interface LawfulBasis {
  readonly type: 'dpv:Consent' | 'dpv:ExplicitlyExpressedConsent';
  readonly id: 'eu-gdpr:A6-1-a' | 'eu-gdpr:A9-2-a';
  readonly label: string;
}

export const CONSENT_BASIS: LawfulBasis = {
  type: 'dpv:Consent',
  id: 'eu-gdpr:A6-1-a',
  label: 'GDPR Art. 6(1)(a)',
};
export const EXPLICIT_CONSENT_BASIS: LawfulBasis = {
  type: 'dpv:ExplicitlyExpressedConsent',
  id: 'eu-gdpr:A9-2-a',
  label: 'GDPR Art. 9(2)(a)',
};

/** What the receipt says, claim by claim; see `docs/receipt.md`. */
export interface ReceiptClaims {
  readonly iss: string;
  readonly sub: string;
  readonly iat: number;
  readonly jti: string;
  readonly schema_version: string;
  readonly receipt_id: string;
  readonly record_id: string;
  readonly record_version: number;
  readonly pii_principal_id: string;
  readonly language: string;
  readonly privacy_notice: { readonly hash_alg: 'SHA-256'; readonly hash: string };
  readonly jurisdiction: string;
  readonly purposes: readonly ReceiptPurpose[];
  readonly parties: readonly ReceiptParty[];
  readonly events: readonly ReceiptEvent[];
  /** How the consent was given (API contract): `portal-code`, `portal-eid`, `assisted`, `paper`. */
  readonly channel: Channel;
  /** How sure it is who gave it, in eIDAS levels (API contract): `low`, `substantial`, `high`. */
  readonly assurance: Assurance;
  readonly prefixes: typeof RECEIPT_PREFIXES;
}

export interface ReceiptPurpose {
  readonly purpose: string;
  readonly primary_purpose: true;
  readonly lawful_basis: readonly LawfulBasis[];
  readonly pii_information: readonly {
    readonly pii_type: string;
    readonly special_pii_category: boolean;
  }[];
  readonly pii_controllers: readonly string[];
  readonly recipient_third_parties: readonly string[];
  readonly retention_period: readonly { readonly party_id: string; readonly duration: string }[];
  readonly withdrawal_method: readonly {
    readonly method: WithdrawalMethod;
    readonly consent_control: 'dpv:WithdrawConsent';
    readonly url?: string;
    readonly party_ids?: readonly string[];
  }[];
  readonly privacy_rights: readonly string[];
  readonly authority_party: string;
}

export interface ReceiptParty {
  readonly party_id: string;
  readonly party_name: string;
  readonly party_role: 'dpv:DataController' | 'dpv:DataProtectionAuthority';
  readonly party_type?: 'dpv:DataExporter' | 'dpv:Recipient';
  readonly agency_type?: string;
  readonly party_address?: string;
  readonly party_email?: string;
  readonly party_url?: string;
  readonly data_protection_officer?: {
    readonly party_role: 'dpv:DataProtectionOfficer';
    readonly party_contact: string;
  };
}

export interface ReceiptEvent {
  readonly event_time: string;
  readonly validity_duration: { readonly from: string; readonly until: string };
  readonly entity_id: string;
  readonly event_type: 'dpv:ExpressedConsent' | 'dpv:ExplicitlyExpressedConsent';
  readonly event_state: 'dpv:ConsentGiven';
}

/** What the receipt is made from. */
export interface ReceiptInput {
  readonly consent: ConsentRecord;
  readonly consentVersion: number;
  /** Senders and recipients, as `receiptParties` loads them. */
  readonly controllers: readonly ReceiptController[];
  readonly supervisoryAuthority: SupervisoryAuthority;
  /** The gateway's public base URL. */
  readonly issuer: string;
  /** Every way this person can withdraw, in the order the notice names them. */
  readonly withdrawal: readonly WithdrawalOption[];
  readonly at: Date;
}

function controllerParty(controller: ReceiptController): ReceiptParty {
  return {
    party_id: controller.id,
    party_name: controller.name,
    party_role: 'dpv:DataController',
    party_type: controller.role === 'sender' ? 'dpv:DataExporter' : 'dpv:Recipient',
    agency_type: controller.agencyType,
    ...(controller.address === null ? {} : { party_address: controller.address }),
    ...(controller.dpoContact === null
      ? {}
      : {
          data_protection_officer: {
            party_role: 'dpv:DataProtectionOfficer',
            party_contact: controller.dpoContact,
          },
        }),
  };
}

function purposeOf(input: ReceiptInput, special: boolean): ReceiptPurpose {
  const { consent, controllers } = input;
  const recipients = controllers.filter((c) => c.role === 'recipient');
  return {
    purpose: consent.purpose,
    primary_purpose: true,
    lawful_basis: special ? [CONSENT_BASIS, EXPLICIT_CONSENT_BASIS] : [CONSENT_BASIS],
    pii_information: consent.categories.map((category) => ({
      pii_type: category,
      special_pii_category: SPECIAL_CATEGORIES.includes(category as DataCategory),
    })),
    pii_controllers: controllers.map((c) => c.id),
    recipient_third_parties: recipients.map((c) => c.id),
    // ISO 8601 durations, as DPV's StorageDuration takes them.
    retention_period: recipients.flatMap((c) =>
      c.retentionDays === undefined
        ? []
        : [{ party_id: c.id, duration: `P${String(c.retentionDays)}D` }],
    ),
    withdrawal_method: input.withdrawal.map((option) => ({
      method: option.method,
      consent_control: 'dpv:WithdrawConsent',
      ...(option.url === undefined ? {} : { url: option.url }),
      ...(option.method === 'office' ? { party_ids: controllers.map((c) => c.id) } : {}),
    })),
    // Withdraw (Art. 7(3)), access (Art. 15), complain (Art. 77): what the notice tells.
    privacy_rights: ['eu-gdpr:A7-3', 'eu-gdpr:A15', 'eu-gdpr:A77'],
    authority_party: SUPERVISORY_AUTHORITY_PARTY,
  };
}

/**
 * The claims of the signed receipt the person gets on grant: the consent record as ISO/IEC TS
 * 27560 structures it (header, purposes, parties, events), legal bases and roles as DPV terms,
 * plus `channel` and `assurance` as the API contract names them; JWT claims (iss, sub, iat, jti)
 * carry the signature context.
 *
 * @throws Error when no way to withdraw is given: a receipt must say how (Art. 7(3) GDPR).
 */
export function receiptClaims(input: ReceiptInput): ReceiptClaims {
  const { consent, supervisoryAuthority: authority } = input;
  if (input.withdrawal.length === 0) throw new Error('a receipt needs a way to withdraw');
  const special = consent.categories.some((c) => SPECIAL_CATEGORIES.includes(c as DataCategory));
  return {
    iss: input.issuer,
    sub: consent.subject,
    iat: Math.floor(input.at.getTime() / 1000),
    jti: consent.receiptId,
    schema_version: RECEIPT_SCHEMA,
    receipt_id: consent.receiptId,
    record_id: consent.id,
    record_version: input.consentVersion,
    pii_principal_id: consent.subject,
    language: consent.language,
    privacy_notice: { hash_alg: 'SHA-256', hash: consent.noticeHash },
    jurisdiction: 'DE-NW',
    purposes: [purposeOf(input, special)],
    parties: [
      ...input.controllers.map(controllerParty),
      {
        party_id: SUPERVISORY_AUTHORITY_PARTY,
        party_name: authority.name,
        party_role: 'dpv:DataProtectionAuthority',
        party_address: authority.address,
        party_email: authority.email,
        party_url: authority.url,
      },
    ],
    events: [
      {
        event_time: consent.createdAt,
        validity_duration: { from: consent.validFrom, until: consent.validUntil },
        entity_id: consent.subject,
        event_type: special ? 'dpv:ExplicitlyExpressedConsent' : 'dpv:ExpressedConsent',
        event_state: 'dpv:ConsentGiven',
      },
    ],
    channel: consent.channel,
    assurance: consent.assurance,
    prefixes: RECEIPT_PREFIXES,
  };
}
