import { four } from './notice-dates.ts';
import type { NoticePhrases } from './notice-phrases.ts';

const MONTHS = [
  'January',
  'February',
  'March',
  'April',
  'May',
  'June',
  'July',
  'August',
  'September',
  'October',
  'November',
  'December',
] as const;

/** English, in plain words: many readers have it as a second or third language. */
export const en: NoticePhrases = {
  title: 'Consent: may offices share your data?',
  parties: {
    heading: 'Who shares your data with whom?',
    intro: 'The offices ask you whether they may share information about you with each other.',
    senders: 'These offices pass on your data:',
    recipients: 'These offices receive your data:',
  },
  data: { heading: 'Which data?', intro: 'Only this information is shared:' },
  special: {
    heading: 'Health data',
    body: 'Information about your health is specially protected (Art. 9 GDPR). With your consent, you explicitly allow the offices to share this information as well.',
  },
  purpose: { heading: 'What for?', intro: 'The offices use your data only for this purpose:' },
  duration: {
    heading: 'For how long?',
    body: (date) => `Your consent is valid until ${date}. After that, it ends by itself.`,
  },
  retention: {
    heading: 'How long do the offices keep your data?',
    intro:
      'Each office may keep your data for at most this long after it receives them. After that, the office must delete them.',
    atMost: (days) => `at most ${String(days)} ${days === 1 ? 'day' : 'days'}`,
  },
  voluntary: {
    heading: 'Voluntary',
    body: 'Your consent is voluntary. If you say no, this does not harm your application. You still receive all benefits you are entitled to. The offices will then ask you directly for the documents they need.',
  },
  withdrawal: {
    heading: 'Withdrawing your consent',
    intro: 'You can withdraw your consent at any time. You can do this in these ways:',
    methods: {
      'portal-withdrawal-code':
        '- In the portal with your withdrawal code. You get the code when you give your consent. Only you get this code.',
      'portal-eid': '- In the portal with your ID card (online ID function).',
      office:
        '- At one of the offices above: tell them that you withdraw your consent. The office records it.',
    },
    effect:
      'This takes effect at once. Messages that have not yet reached an office are then no longer passed on either. What the offices shared before remains lawful.',
  },
  controllers: {
    heading: 'Who is responsible?',
    intro:
      "Each office is itself responsible for your data. Do you have questions about data protection? Then ask the office's data protection officer.",
    address: 'Address',
    dpo: 'Data protection officer',
    noAddress: 'not recorded here. Please ask the office.',
    noDpo: "at the office's address",
  },
  complaint: {
    heading: 'Complaints',
    intro:
      'Do you think an office is not handling your data correctly? Then you can complain. The data protection supervisory authority is responsible:',
    email: 'Email',
    web: 'Website',
  },
  legalBasis: {
    heading: 'Legal basis',
    consent: 'Art. 6(1)(a) GDPR (consent)',
    special: 'Art. 9(2)(a) GDPR (explicit consent for health data)',
  },
  date: ({ year, month, day }) => `${String(day)} ${MONTHS[month - 1] ?? ''} ${four(year)}`,
};
