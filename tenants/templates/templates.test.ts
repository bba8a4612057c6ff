import { describe, expect, it } from 'vitest';
import { catalogue } from '../../connectors/index.ts';
import { isGatewayError } from '../../core/index.ts';
import { AGENCY_TYPES, DEFAULT_POLICY, loadPolicySet } from '../../policies/index.ts';
import { NRW_SUPERVISORY_AUTHORITY } from '../supervisory-authority.ts';
import {
  nextSteps,
  parseTenantTemplate,
  suggestedPrincipalId,
  TEMPLATE_IDS,
  templateById,
} from './index.ts';
import { NRW_TEMPLATE } from './nrw.ts';

const PRINCIPAL_ID = /^[a-z0-9][a-z0-9._-]{1,62}$/;

function refusal(run: () => unknown): { code: string; message: string; paths: string[] } {
  try {
    run();
  } catch (error) {
    if (!isGatewayError(error)) throw error;
    return {
      code: error.code,
      message: error.message,
      paths: (error.errors ?? []).map((issue) => `${issue.path}: ${issue.message}`),
    };
  }
  throw new Error('expected a refusal');
}

describe('the nrw template', () => {
  const nrw = templateById('nrw');

  it('joins the programme view nrw and names the LDI NRW', () => {
    expect(nrw.id).toBe('nrw');
    expect(nrw.programme).toBe('nrw');
    expect(nrw.supervisoryAuthority).toEqual(NRW_SUPERVISORY_AUTHORITY);
    expect(nrw.title.de).toContain('Einwanderung gestalten NRW');
    expect(nrw.title.en).toContain('Einwanderung gestalten NRW');
  });

  it('carries the programme policy set itself, not a copy of it', async () => {
    expect(NRW_TEMPLATE.policy).toBe(DEFAULT_POLICY);
    const fromTemplate = await loadPolicySet(nrw.policy);
    const programme = await loadPolicySet(DEFAULT_POLICY);
    expect(fromTemplate.version).toBe(programme.version);
    expect(fromTemplate.hash).toBe(programme.hash);
  });

  it('has one office per agency type of the policy, sending what its connector sends', () => {
    const named = new Set(DEFAULT_POLICY.rules.flatMap((rule) => [...rule.from, ...rule.to]));
    expect(nrw.offices.map((office) => office.agencyType)).toEqual(
      AGENCY_TYPES.filter((type) => named.has(type)),
    );
    for (const office of nrw.offices) {
      expect(office.messageTypes).toEqual(
        catalogue()
          .filter((entry) => entry.agencyType === office.agencyType)
          .map((entry) => entry.id),
      );
    }
    expect(nrw.offices.find((o) => o.agencyType === 'immigration_office')?.messageTypes).toContain(
      'residence_status.notice',
    );
  });

  it('suggests abh-, jc-, so- and lenkung- ids', () => {
    expect(nrw.offices.map((office) => suggestedPrincipalId(office.idPrefix, 'koeln'))).toEqual([
      'abh-koeln',
      'jc-koeln',
      'so-koeln',
    ]);
    expect(suggestedPrincipalId(nrw.steeringGroup.idPrefix, 'koeln')).toBe('lenkung-koeln');
  });
});

describe('templateById', () => {
  it('knows nrw', () => {
    expect(TEMPLATE_IDS).toEqual(['nrw']);
  });

  it.each(['berlin', 'NRW', '', 'constructor', '__proto__', 'nrw\nforged line'])(
    'refuses %j with not_found, in one line naming the known templates',
    (id) => {
      const refused = refusal(() => templateById(id));
      expect(refused.code).toBe('not_found');
      expect(refused.message).toContain('known templates: nrw');
      expect(refused.message).not.toContain('\n');
    },
  );
});

describe('parseTenantTemplate', () => {
  const valid = (): Record<string, unknown> => structuredClone(NRW_TEMPLATE);
  const offices = (template: Record<string, unknown>) =>
    template['offices'] as { agencyType: string; idPrefix: string; messageTypes: string[] }[];

  it('refuses a message type the connector catalogue does not have', () => {
    const template = valid();
    offices(template)[0]?.messageTypes.push('residence_status.rumour');
    expect(refusal(() => parseTenantTemplate(template)).paths).toEqual([
      '/offices/0/messageTypes/3: residence_status.rumour is not in the connector catalogue',
    ]);
  });

  it("refuses a message type of another office's connector", () => {
    const template = valid();
    offices(template)[0]?.messageTypes.push('benefit.status');
    expect(refusal(() => parseTenantTemplate(template)).paths).toEqual([
      '/offices/0/messageTypes/3: benefit.status is sent by social_office, not immigration_office',
    ]);
  });

  it('refuses a policy naming an agency type without an office', () => {
    const template = valid();
    template['offices'] = offices(template).filter((o) => o.agencyType !== 'social_office');
    expect(refusal(() => parseTenantTemplate(template)).paths).toEqual([
      '/offices: the policy names social_office, which has no office',
    ]);
  });

  it('refuses two offices of one type and suggested ids that collide', () => {
    const template = valid();
    const [first] = offices(template);
    if (first === undefined) throw new Error('no office');
    offices(template).push({ ...first });
    (template['steeringGroup'] as { idPrefix: string }).idPrefix = 'jc';
    const paths = refusal(() => parseTenantTemplate(template)).paths;
    expect(paths).toContain('/offices/1/idPrefix: id prefixes must differ');
    expect(paths).toContain('/offices/3/agencyType: one office per agency type');
    expect(paths).toContain('/offices/3/idPrefix: id prefixes must differ');
  });

  it('refuses an invalid policy set, a bad programme id and unknown fields', () => {
    const template = valid();
    template['policy'] = { version: 'x', rules: [] };
    template['programme'] = 'NRW!';
    template['extra'] = true;
    const refused = refusal(() => parseTenantTemplate(template));
    expect(refused.code).toBe('validation_failed');
    expect(refused.paths.join('\n')).toMatch(/\/policy\/rules/);
    expect(refused.paths.join('\n')).toMatch(/\/programme/);
    expect(refused.paths.join('\n')).toMatch(/extra/);
  });

  it('refuses a supervisory authority with a forged line', () => {
    const template = valid();
    template['supervisoryAuthority'] = { ...NRW_SUPERVISORY_AUTHORITY, name: 'LDI\nNRW' };
    expect(refusal(() => parseTenantTemplate(template)).paths[0]).toMatch(
      /^\/supervisoryAuthority\/name/,
    );
  });
});

describe('suggestedPrincipalId', () => {
  it('stays a principal id for the longest tenant ids, and distinct per prefix', () => {
    const longest = `k${'x'.repeat(56)}-lippe`;
    expect(longest).toHaveLength(63);
    const ids = ['abh', 'jc', 'so', 'lenkung'].map((p) => suggestedPrincipalId(p, longest));
    for (const id of ids) expect(id).toMatch(PRINCIPAL_ID);
    expect(new Set(ids).size).toBe(4);
    // A cut that ends on a hyphen drops it rather than end the id with one.
    expect(suggestedPrincipalId('abh', `${'k'.repeat(58)}-x`)).toBe(`abh-${'k'.repeat(58)}`);
  });
});

describe('nextSteps', () => {
  const nrw = templateById('nrw');
  const text = nextSteps(
    nrw,
    { id: 'koeln', displayName: 'Stadt Köln' },
    { dataDir: '/srv/gateway data', policyFile: '/srv/gateway data/templates/koeln/policy.json' },
  );

  it('names the command that registers each office, with its suggested id and type', () => {
    for (const [id, type] of [
      ['abh-koeln', 'immigration_office'],
      ['jc-koeln', 'jobcenter'],
      ['so-koeln', 'social_office'],
    ] as const) {
      expect(text).toContain(
        `npx consent-gateway --data '/srv/gateway data' agency add --tenant koeln --id ${id} --type ${type} \\\n    --csr ${id}.csr --out ${id}.crt`,
      );
    }
    expect(text).toContain("--name 'Ausländerbehörde Stadt Köln'");
    expect(text).toContain('`residence_status.notice`, `identity.summary`');
  });

  it("names the steering group's reader, the start with the policy file and leaving the view", () => {
    expect(text).toContain(
      'principal add --tenant koeln --id lenkung-koeln --role monitor \\\n    --csr lenkung-koeln.csr --out lenkung-koeln.crt',
    );
    expect(text).toContain(
      "GATEWAY_POLICY_FILE='/srv/gateway data/templates/koeln/policy.json' npm start",
    );
    expect(text).toContain('/v1/policy');
    expect(text).toContain(
      "npx consent-gateway --data '/srv/gateway data' tenant set --tenant koeln --programme none",
    );
  });

  it('speaks German and English', () => {
    expect(text).toContain('Ämter registrieren / Register the offices');
    expect(text).toContain('Datenschutzbeauftragten');
    expect(text).toContain('data-protection officer review it');
    expect(text).toContain('### Jobcenter (`jobcenter`)');
  });

  it('quotes a path with a single quote so the shell reads it back as it is', () => {
    const quoted = nextSteps(
      nrw,
      { id: 'koeln', displayName: 'Stadt Köln' },
      { dataDir: "/srv/o'brien", policyFile: "/srv/o'brien/p.json" },
    );
    expect(quoted).toContain(`--data '/srv/o'\\''brien' agency add`);
  });
});
