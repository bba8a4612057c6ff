export {
  AGENCY_TYPES,
  PURPOSES,
  DATA_CATEGORIES,
  SPECIAL_CATEGORIES,
  LANGUAGES,
  ASSURANCE_LEVELS,
  isPurpose,
  isDataCategory,
} from './vocabulary.ts';
export type { AgencyType, Purpose, DataCategory, Language, Assurance } from './vocabulary.ts';
export { meetsAssurance, higherAssurance } from './assurance.ts';
export { LABELS, label, isRightToLeft } from './labels.ts';
export type { Label, LabelKind, LanguageLabels } from './labels.ts';
export { PolicyRule, PolicySetInput, loadPolicySet } from './policy.ts';
export type { PolicySet } from './policy.ts';
export { DEFAULT_POLICY } from './default-policy.ts';
export { evaluate } from './evaluate.ts';
export type { ConsentVerdict, Exchange, Decision } from './evaluate.ts';
export { checkRequestedFlow, requiredAssurance } from './flow.ts';
export type { FlowCheck, RequestedFlow } from './flow.ts';
