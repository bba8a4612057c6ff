import { z } from 'zod';
import { findMessageType } from '../../connectors/index.ts';
import { GatewayError, type ValidationIssue } from '../../core/index.ts';
import { AGENCY_TYPES, PolicySetInput } from '../../policies/index.ts';
import { SupervisoryAuthorityInput } from '../supervisory-authority.ts';
import { ProgrammeId } from '../tenant.ts';

// A title is printed into NEXT-STEPS.md and the CLI's summary: one printable line.
const Line = z
  .string()
  .trim()
  .min(1)
  .max(200)
  .regex(/^[^\p{Cc}\u2028\u2029]*$/u, 'one printable line');

const Title = z.strictObject({ de: Line, en: Line });

// Kept short so that `<prefix>-<tenant>` stays a principal id for most tenant ids.
const IdPrefix = z
  .string()
  .regex(/^[a-z][a-z0-9]{0,15}$/, 'an id prefix is 1–16 lower-case letters or digits');

/** One office the programme's municipalities register, and the connector it speaks. */
const TemplateOffice = z.strictObject({
  agencyType: z.enum(AGENCY_TYPES),
  title: Title,
  /** Suggested agency id: `<idPrefix>-<tenant>`, e.g. `abh-koeln`. */
  idPrefix: IdPrefix,
  /** The message types this office sends, each one of its connector's (may be none: receives only). */
  messageTypes: z.array(z.string()),
});

/**
 * A starting kit for a municipality joining a programme: what `init --from-template` sets and
 * writes. Data, so that a programme's kit can be read, compared and checked like a policy set.
 */
export const TenantTemplateInput = z
  .strictObject({
    id: z.string().regex(/^[a-z][a-z0-9-]{1,30}$/, 'a template id is a short lower-case slug'),
    title: Title,
    /** The programme whose monitoring view across municipalities the new tenant takes part in. */
    programme: ProgrammeId,
    supervisoryAuthority: SupervisoryAuthorityInput,
    /** The programme's policy set, the starting point the municipality's DPO reviews. */
    policy: PolicySetInput,
    offices: z.array(TemplateOffice).min(1),
    /** The steering group's reader of aggregated figures (role `monitor`). */
    steeringGroup: z.strictObject({ title: Title, idPrefix: IdPrefix }),
  })
  .superRefine((template, ctx) => {
    for (const issue of coherenceIssues(template)) ctx.addIssue({ code: 'custom', ...issue });
  });

export type TenantTemplate = z.output<typeof TenantTemplateInput>;
export type TemplateOffice = z.output<typeof TemplateOffice>;

/**
 * What the schema alone cannot see: message types must be their office's connector's (so the
 * kit cannot promise a flow the gateway would refuse as unknown), every agency type the policy
 * names needs an office, and suggested ids must not collide.
 */
function coherenceIssues(
  template: z.output<typeof TenantTemplateInput>,
): { path: (string | number)[]; message: string }[] {
  const issues: { path: (string | number)[]; message: string }[] = [];
  const types = new Set<string>();
  const prefixes = new Set<string>([template.steeringGroup.idPrefix]);
  template.offices.forEach((office, i) => {
    if (types.has(office.agencyType))
      issues.push({ path: ['offices', i, 'agencyType'], message: 'one office per agency type' });
    types.add(office.agencyType);
    if (prefixes.has(office.idPrefix))
      issues.push({ path: ['offices', i, 'idPrefix'], message: 'id prefixes must differ' });
    prefixes.add(office.idPrefix);
    office.messageTypes.forEach((id, j) => {
      const found = findMessageType(id);
      if (found?.agencyType !== office.agencyType) {
        issues.push({
          path: ['offices', i, 'messageTypes', j],
          message:
            found === undefined
              ? `${id} is not in the connector catalogue`
              : `${id} is sent by ${found.agencyType}, not ${office.agencyType}`,
        });
      }
    });
  });
  const named = new Set(template.policy.rules.flatMap((rule) => [...rule.from, ...rule.to]));
  for (const type of AGENCY_TYPES.filter((t) => named.has(t) && !types.has(t)))
    issues.push({ path: ['offices'], message: `the policy names ${type}, which has no office` });
  return issues;
}

/**
 * Validates a template and answers it parsed.
 *
 * @throws GatewayError `validation_failed` with one issue per problem.
 */
export function parseTenantTemplate(input: unknown): TenantTemplate {
  const parsed = TenantTemplateInput.safeParse(input);
  if (!parsed.success) {
    const errors: ValidationIssue[] = parsed.error.issues.map((issue) => ({
      path: '/' + issue.path.map(String).join('/'),
      message: issue.message,
    }));
    throw new GatewayError('validation_failed', { detail: 'the template is invalid', errors });
  }
  return parsed.data;
}

/**
 * The id a kit suggests for one of the tenant's principals: `<prefix>-<tenant>`, cut to the 63
 * characters a principal id may have (prefixes differ, so cut ids of one tenant still differ).
 *
 * @example
 * ```ts
 * suggestedPrincipalId('abh', 'koeln'); // 'abh-koeln'
 * ```
 */
export function suggestedPrincipalId(prefix: string, tenantId: string): string {
  return `${prefix}-${tenantId}`.slice(0, 63).replace(/[-]+$/, '');
}
