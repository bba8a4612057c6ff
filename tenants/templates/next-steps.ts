import type { Tenant } from '../tenant.ts';
import { suggestedPrincipalId, type TenantTemplate } from './template.ts';

/** Where the kit's files and the tenant's data are, as the commands should name them. */
export interface KitPaths {
  /** The data dir the commands pass as `--data`. */
  readonly dataDir: string;
  /** The written policy set, for `GATEWAY_POLICY_FILE`. */
  readonly policyFile: string;
}

/**
 * NEXT-STEPS.md for a tenant started from a template: in German and English, the exact commands
 * that are left to the operator (register the offices and the steering group's reader, start
 * with the reviewed policy set, leave the programme view), with the tenant's ids filled in.
 *
 * @example
 * ```ts
 * const text = nextSteps(templateById('nrw'), tenant, { dataDir, policyFile });
 * ```
 */
export function nextSteps(
  template: TenantTemplate,
  tenant: Pick<Tenant, 'id' | 'displayName'>,
  paths: KitPaths,
): string {
  const cli = `npx consent-gateway --data ${shellWord(paths.dataDir)}`;
  const policy = template.policy;
  return [
    `# Nächste Schritte / Next steps: ${tenant.displayName} (\`${tenant.id}\`)`,
    '',
    `Angelegt mit: ${template.title.de} (\`--from-template ${template.id}\`).`,
    `Created with: ${template.title.en} (\`--from-template ${template.id}\`).`,
    '',
    'Erledigt / Done:',
    '',
    '- Mandant mit CA, Signatur- und OpenPGP-Schlüssel / tenant with CA, signing and OpenPGP key',
    `- Aufsichtsbehörde / supervisory authority: ${template.supervisoryAuthority.name}`,
    `- Programmsicht / programme view: \`${template.programme}\``,
    `- Regelwerk / policy set \`${policy.version}\`: \`${paths.policyFile}\``,
    '',
    ...officeSteps(template, tenant, cli),
    ...steeringGroupStep(template, tenant, cli),
    ...policyStep(paths),
    '## 4. Programmsicht verlassen / Leave the programme view',
    '',
    'Die Monitore aller teilnehmenden Kommunen sehen die Summen dieser Kommune (kleine Werte',
    'unterdrückt). Ohne Programmsicht bleiben die Zahlen in der Kommune.',
    'The monitors of every municipality taking part see this one\u2019s totals (small counts',
    'withheld). Leaving keeps its figures within the municipality.',
    '',
    '```sh',
    `${cli} tenant set --tenant ${tenant.id} --programme none`,
    '```',
    '',
  ].join('\n');
}

function officeSteps(
  template: TenantTemplate,
  tenant: Pick<Tenant, 'id' | 'displayName'>,
  cli: string,
): string[] {
  const lines = [
    '## 1. Ämter registrieren / Register the offices',
    '',
    'Jedes Amt erzeugt seinen Schlüssel selbst und schickt nur einen CSR; Anschrift und',
    'Datenschutz-Kontakt stehen in jedem Einwilligungstext, der das Amt nennt (`<…>` ersetzen).',
    'Each office makes its own key and sends only a CSR; its address and DPO contact appear in',
    'every consent notice naming it (replace the `<…>` parts).',
    '',
  ];
  for (const office of template.offices) {
    const id = suggestedPrincipalId(office.idPrefix, tenant.id);
    const name = `${office.title.de} ${tenant.displayName}`;
    lines.push(
      `### ${bilingual(office.title)} (\`${office.agencyType}\`)`,
      '',
      `Sendet / sends: ${office.messageTypes.map((m) => `\`${m}\``).join(', ') || '–'}`,
      '',
      '```sh',
      `${cli} agency add --tenant ${tenant.id} --id ${id} --type ${office.agencyType} \\`,
      `    --csr ${id}.csr --out ${id}.crt --name ${shellWord(name)} \\`,
      `    --address '<Anschrift / address>' --dpo-contact '<Datenschutz / DPO contact>'`,
      '```',
      '',
    );
  }
  return lines;
}

function steeringGroupStep(
  template: TenantTemplate,
  tenant: Pick<Tenant, 'id'>,
  cli: string,
): string[] {
  const id = suggestedPrincipalId(template.steeringGroup.idPrefix, tenant.id);
  return [
    `## 2. ${bilingual(template.steeringGroup.title)}`,
    '',
    'Die Rolle `monitor` liest nur zusammengefasste Zahlen, nie einen Einzelfall.',
    'The `monitor` role reads aggregated figures only, never a single case.',
    '',
    '```sh',
    `${cli} principal add --tenant ${tenant.id} --id ${id} --role monitor \\`,
    `    --csr ${id}.csr --out ${id}.crt`,
    '```',
    '',
  ];
}

function policyStep(paths: KitPaths): string[] {
  return [
    '## 3. Regelwerk prüfen, dann starten / Review the policy set, then start',
    '',
    'Die Datei ist das Regelwerk des Programms. Anpassen (neue `version` vergeben), von der oder',
    'dem Datenschutzbeauftragten prüfen lassen, dann damit starten. Das Regelwerk gilt für die',
    'ganze Installation, also für alle Kommunen, die sie bedient.',
    'The file is the programme\u2019s policy set. Adapt it (give it a new `version`), have your',
    'data-protection officer review it, then start with it. The policy set applies to the whole',
    'deployment, i.e. to every municipality it serves.',
    '',
    '```sh',
    `GATEWAY_DATA_DIR=${shellWord(paths.dataDir)} GATEWAY_POLICY_FILE=${shellWord(paths.policyFile)} npm start`,
    'curl -s http://localhost:8787/v1/policy   # version und hash in Kraft / version and hash in force',
    '```',
    '',
  ];
}

/** "Sozialamt / Social office", but "Jobcenter" once where both languages say the same. */
function bilingual(title: { readonly de: string; readonly en: string }): string {
  return title.de === title.en ? title.de : `${title.de} / ${title.en}`;
}

/** A word the shell reads back as it is: bare when safe, single-quoted otherwise. */
function shellWord(text: string): string {
  return /^[A-Za-z0-9_./:=@%+-]+$/.test(text) ? text : `'${text.replaceAll("'", `'\\''`)}'`;
}
