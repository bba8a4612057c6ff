import { CONNECTORS } from '../../connectors/index.ts';
import { AGENCY_TYPES, DEFAULT_POLICY, type AgencyType } from '../../policies/index.ts';
import { NRW_SUPERVISORY_AUTHORITY } from '../supervisory-authority.ts';
import type { TenantTemplateInput } from './template.ts';
import type { z } from 'zod';

/**
 * How the programme names its offices and their agency ids (`abh-koeln` as in the demo tenant).
 * Keyed by every agency type, so a new type cannot join the programme without a name here.
 */
const OFFICES: Readonly<Record<AgencyType, { idPrefix: string; de: string; en: string }>> = {
  immigration_office: { idPrefix: 'abh', de: 'Ausländerbehörde', en: 'Immigration office' },
  jobcenter: { idPrefix: 'jc', de: 'Jobcenter', en: 'Jobcenter' },
  social_office: { idPrefix: 'so', de: 'Sozialamt', en: 'Social office' },
};

// The offices are the agency types the programme's policy set names, and what each sends is its
// connector's list: both follow the code they describe, so the kit cannot drift from them.
const namedByPolicy = new Set(DEFAULT_POLICY.rules.flatMap((rule) => [...rule.from, ...rule.to]));

/**
 * The kit of "Einwanderung gestalten NRW": the programme's policy set, the LDI NRW as
 * supervisory authority, the programme's monitoring view, and the three offices with the
 * messages their connectors send. Unvalidated input; `templateById` answers it parsed.
 */
export const NRW_TEMPLATE: z.input<typeof TenantTemplateInput> = {
  id: 'nrw',
  title: {
    de: 'Werkzeugkoffer „Einwanderung gestalten NRW“',
    en: 'Starting kit of the programme "Einwanderung gestalten NRW"',
  },
  programme: 'nrw',
  supervisoryAuthority: NRW_SUPERVISORY_AUTHORITY,
  policy: DEFAULT_POLICY,
  offices: AGENCY_TYPES.filter((type) => namedByPolicy.has(type)).map((type) => ({
    agencyType: type,
    title: { de: OFFICES[type].de, en: OFFICES[type].en },
    idPrefix: OFFICES[type].idPrefix,
    messageTypes: CONNECTORS.filter((connector) => connector.agencyType === type).flatMap(
      (connector) => connector.messageTypes.map((messageType) => messageType.id),
    ),
  })),
  steeringGroup: {
    title: { de: 'Lenkungsgruppe', en: 'Steering group' },
    idPrefix: 'lenkung',
  },
};
