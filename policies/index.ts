export {
  PURPOSES,
  DATA_CATEGORIES,
  SPECIAL_CATEGORIES,
  LANGUAGES,
  isPurpose,
  isDataCategory,
} from './vocabulary.ts';
export type { Purpose, DataCategory, Language } from './vocabulary.ts';
export { LABELS, label, isRightToLeft } from './labels.ts';
export type { Label, LabelKind, LanguageLabels } from './labels.ts';
