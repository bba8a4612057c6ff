import type { ConsentRecord } from './ports.ts';

export const RECEIPT_SCHEMA = 'urn:consent-gateway:receipt:1';
export const RECEIPT_TYP = 'consent-receipt+jwt';

export interface ReceiptController {
  readonly id: string;
  readonly name: string;
  readonly agencyType: string;
  readonly role: 'sender' | 'recipient';
}

/**
 * The claims of the signed receipt the person gets on grant. Field names follow ISO/IEC TS 27560
 * (consent record information structure) and the Kantara Consent Receipt v1.1 where they overlap,
 * so a consent-management tool that reads either understands it; JWT claims (iss, sub, iat, jti)
 * carry the signature context.
 */
export function receiptClaims(input: {
  consent: ConsentRecord;
  consentVersion: number;
  controllers: readonly ReceiptController[];
  issuer: string;
  withdrawalUrl: string;
  special: boolean;
  at: Date;
}): Record<string, unknown> {
  const { consent } = input;
  const legalBasis = ['GDPR Art. 6(1)(a)', ...(input.special ? ['GDPR Art. 9(2)(a)'] : [])];
  return {
    iss: input.issuer,
    sub: consent.subject,
    iat: Math.floor(input.at.getTime() / 1000),
    jti: consent.receiptId,
    schemaVersion: RECEIPT_SCHEMA,
    receiptId: consent.receiptId,
    consentId: consent.id,
    consentVersion: input.consentVersion,
    jurisdiction: 'DE-NW',
    piiPrincipalId: consent.subject,
    piiControllers: input.controllers.map((controller) => ({
      piiController: controller.name,
      controllerId: controller.id,
      agencyType: controller.agencyType,
      role: controller.role,
    })),
    purposes: [
      {
        purpose: consent.purpose,
        primaryPurpose: true,
        consentType: 'explicit',
        lawfulBasis: legalBasis,
        piiCategory: [...consent.categories],
        termination: consent.validUntil,
        thirdPartyDisclosure: true,
        thirdPartyName: input.controllers.filter((c) => c.role === 'recipient').map((c) => c.name),
      },
    ],
    legalBasis,
    sensitive: input.special,
    spiCat: input.special ? consent.categories.filter((c) => c === 'health') : [],
    validFrom: consent.validFrom,
    validUntil: consent.validUntil,
    consentTimestamp: consent.createdAt,
    collectionMethod: consent.capture,
    withdrawalMethod: { channel: 'portal', url: input.withdrawalUrl },
    language: consent.language,
    noticeHash: { alg: 'SHA-256', value: consent.noticeHash },
  };
}
