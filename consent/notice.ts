/**
 * The consent notice: the exact text a person is shown and agrees to. The gateway stores its
 * SHA-256 hash in the consent and in the signed receipt, so the text is a pure function of its
 * input: no clock, no locale or time-zone settings of the runtime, no `Intl`. The same input gives
 * the same bytes on Node and on workerd, today and after a runtime update.
 */
import type { AgencyType } from '../policies/index.ts';
import { isRightToLeft, label } from '../policies/labels.ts';
import {
  SPECIAL_CATEGORIES,
  type DataCategory,
  type Language,
  type Purpose,
} from '../policies/index.ts';

/** An office named in a notice. Only `name` and the label of `agencyType` are shown. */
export interface NoticeParty {
  readonly id: string;
  readonly name: string;
  readonly agencyType: AgencyType;
}

/** What a consent request asks for, as the notice puts it into words. */
export interface NoticeInput {
  readonly language: Language;
  /** Shown in the order given. */
  readonly senders: readonly NoticeParty[];
  /** Shown in the order given. */
  readonly recipients: readonly NoticeParty[];
  readonly purpose: Purpose;
  /** Shown in the order given: the caller decides (e.g. vocabulary order). */
  readonly categories: readonly DataCategory[];
  /** RFC 3339 date-time; the notice shows its calendar date in UTC. */
  readonly validUntil: string;
  /** Health (an Art. 9 GDPR special category) is involved: consent must be explicit. */
  readonly special: boolean;
}

/** One titled part of a notice. */
export interface NoticeSection {
  readonly heading: string;
  readonly body: string;
}

/** The notice, in parts for the portal and as one text for hashing and storage. */
export interface ConsentNotice {
  readonly language: Language;
  readonly title: string;
  readonly sections: readonly NoticeSection[];
  /** Title and sections (heading line, then body), joined by blank lines; no trailing newline. */
  readonly text: string;
}

interface CalendarDate {
  readonly year: number;
  readonly month: number;
  readonly day: number;
}

interface NoticePhrases {
  readonly title: string;
  readonly parties: {
    readonly heading: string;
    readonly intro: string;
    readonly senders: string;
    readonly recipients: string;
  };
  readonly data: { readonly heading: string; readonly intro: string };
  readonly special: { readonly heading: string; readonly body: string };
  readonly purpose: { readonly heading: string; readonly intro: string };
  readonly duration: { readonly heading: string; readonly body: (date: string) => string };
  readonly voluntary: { readonly heading: string; readonly body: string };
  readonly withdrawal: { readonly heading: string; readonly body: string };
  readonly legalBasis: {
    readonly heading: string;
    readonly consent: string;
    readonly special: string;
  };
  readonly date: (date: CalendarDate) => string;
}

const two = (n: number): string => String(n).padStart(2, '0');
const four = (n: number): string => String(n).padStart(4, '0');

/** 31.03.2027: day first with dots and Western digits, read the same way in every language here. */
const dotted = ({ year, month, day }: CalendarDate): string =>
  `${two(day)}.${two(month)}.${four(year)}`;

const ENGLISH_MONTHS = [
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

const PHRASES: Readonly<Record<Language, NoticePhrases>> = {
  de: {
    title: 'Einwilligung: Dürfen Ämter Ihre Daten austauschen?',
    parties: {
      heading: 'Wer gibt Ihre Daten an wen?',
      intro: 'Die Ämter fragen Sie, ob sie Daten über Sie austauschen dürfen.',
      senders: 'Diese Ämter geben Ihre Daten weiter:',
      recipients: 'Diese Ämter bekommen Ihre Daten:',
    },
    data: { heading: 'Welche Daten?', intro: 'Es geht nur um diese Daten:' },
    special: {
      heading: 'Gesundheits-Daten',
      body: 'Daten über Ihre Gesundheit sind besonders geschützt (Art. 9 DSGVO). Mit Ihrer Einwilligung erlauben Sie ausdrücklich, dass die Ämter auch diese Daten austauschen.',
    },
    purpose: { heading: 'Wofür?', intro: 'Die Ämter nutzen Ihre Daten nur für diesen Zweck:' },
    duration: {
      heading: 'Wie lange?',
      body: (date) => `Ihre Einwilligung gilt bis zum ${date}. Dann endet sie von selbst.`,
    },
    voluntary: {
      heading: 'Freiwillig',
      body: 'Ihre Einwilligung ist freiwillig. Wenn Sie nein sagen, hat das keine Nachteile für Ihren Antrag. Sie bekommen trotzdem alle Leistungen, auf die Sie ein Recht haben. Die Ämter fragen Sie dann selbst nach den Unterlagen, die sie brauchen.',
    },
    withdrawal: {
      heading: 'Einwilligung zurücknehmen',
      body: 'Sie können Ihre Einwilligung jederzeit im Portal zurücknehmen (widerrufen). Das gilt sofort. Auch Nachrichten, die noch nicht beim Amt angekommen sind, werden dann nicht mehr weitergegeben. Was die Ämter vorher schon ausgetauscht haben, bleibt erlaubt.',
    },
    legalBasis: {
      heading: 'Rechts-Grundlage',
      consent: 'Art. 6 Abs. 1 lit. a DSGVO (Einwilligung)',
      special: 'Art. 9 Abs. 2 lit. a DSGVO (ausdrückliche Einwilligung für Gesundheits-Daten)',
    },
    date: dotted,
  },
  en: {
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
    purpose: {
      heading: 'What for?',
      intro: 'The offices use your data only for this purpose:',
    },
    duration: {
      heading: 'For how long?',
      body: (date) => `Your consent is valid until ${date}. After that, it ends by itself.`,
    },
    voluntary: {
      heading: 'Voluntary',
      body: 'Your consent is voluntary. If you say no, this does not harm your application. You still receive all benefits you are entitled to. The offices will then ask you directly for the documents they need.',
    },
    withdrawal: {
      heading: 'Withdrawing your consent',
      body: 'You can withdraw your consent at any time in the portal. This takes effect at once. Messages that have not yet reached an office are then no longer passed on either. What the offices shared before remains lawful.',
    },
    legalBasis: {
      heading: 'Legal basis',
      consent: 'Art. 6(1)(a) GDPR (consent)',
      special: 'Art. 9(2)(a) GDPR (explicit consent for health data)',
    },
    date: ({ year, month, day }) => `${day} ${ENGLISH_MONTHS[month - 1] ?? ''} ${four(year)}`,
  },
  ar: {
    title: 'الموافقة: هل يجوز للمكاتب تبادل بياناتكم؟',
    parties: {
      heading: 'من يرسل بياناتكم وإلى من؟',
      intro: 'تسألكم المكاتب ما إذا كان يجوز لها أن تتبادل معلومات عنكم.',
      senders: 'هذه المكاتب ترسل بياناتكم:',
      recipients: 'هذه المكاتب تستلم بياناتكم:',
    },
    data: { heading: 'ما هي البيانات؟', intro: 'يتعلق الأمر بهذه البيانات فقط:' },
    special: {
      heading: 'البيانات الصحية',
      body: 'المعلومات المتعلقة بصحتكم محمية حماية خاصة (المادة 9 من اللائحة العامة لحماية البيانات). بموافقتكم تسمحون صراحةً للمكاتب بتبادل هذه المعلومات أيضًا.',
    },
    purpose: { heading: 'لأي غرض؟', intro: 'تستخدم المكاتب بياناتكم لهذا الغرض فقط:' },
    duration: {
      heading: 'إلى متى؟',
      body: (date) => `موافقتكم سارية حتى ${date}. بعد ذلك تنتهي من تلقاء نفسها.`,
    },
    voluntary: {
      heading: 'الموافقة طوعية',
      body: 'موافقتكم طوعية. إذا قلتم لا، فلن يكون لذلك أي أثر سلبي على طلبكم. وستحصلون مع ذلك على جميع المساعدات التي يحق لكم الحصول عليها. في هذه الحالة ستطلب منكم المكاتب مباشرةً الوثائق التي تحتاجها.',
    },
    withdrawal: {
      heading: 'سحب الموافقة',
      body: 'يمكنكم سحب موافقتكم في أي وقت عبر البوابة الإلكترونية. يسري ذلك فورًا. عندها لن تُرسَل أيضًا الرسائل التي لم تصل بعد إلى المكتب. أما ما تبادلته المكاتب قبل ذلك فيبقى مشروعًا.',
    },
    legalBasis: {
      heading: 'الأساس القانوني',
      consent: 'المادة 6، الفقرة 1، البند (أ) من اللائحة العامة لحماية البيانات (الموافقة)',
      special:
        'المادة 9، الفقرة 2، البند (أ) من اللائحة العامة لحماية البيانات (الموافقة الصريحة على البيانات الصحية)',
    },
    date: dotted,
  },
  uk: {
    title: 'Згода: чи можуть установи обмінюватися Вашими даними?',
    parties: {
      heading: 'Хто передає Ваші дані і кому?',
      intro: 'Установи запитують Вас, чи можуть вони обмінюватися відомостями про Вас.',
      senders: 'Ці установи передають Ваші дані:',
      recipients: 'Ці установи отримують Ваші дані:',
    },
    data: { heading: 'Які дані?', intro: 'Ідеться лише про ці дані:' },
    special: {
      heading: 'Дані про здоров’я',
      body: 'Відомості про Ваше здоров’я мають особливий захист (стаття 9 GDPR). Своєю згодою Ви явно дозволяєте установам обмінюватися також і цими даними.',
    },
    purpose: {
      heading: 'Для чого?',
      intro: 'Установи використовують Ваші дані лише для цієї мети:',
    },
    duration: {
      heading: 'Як довго?',
      body: (date) => `Ваша згода діє до ${date}. Після цього вона припиняється автоматично.`,
    },
    voluntary: {
      heading: 'Добровільність',
      body: 'Ваша згода є добровільною. Якщо Ви відмовитеся, це не матиме жодних негативних наслідків для Вашої заяви. Ви й надалі отримуватимете всі виплати, на які маєте право. У такому разі установи попросять Вас самостійно надати потрібні документи.',
    },
    withdrawal: {
      heading: 'Відкликання згоди',
      body: 'Ви можете будь-коли відкликати свою згоду на порталі. Це діє негайно. Тоді також не будуть передані повідомлення, які ще не дійшли до установи. Те, чим установи обмінялися до цього, залишається законним.',
    },
    legalBasis: {
      heading: 'Правова підстава',
      consent: 'Пункт (a) частини 1 статті 6 GDPR (згода)',
      special: 'Пункт (a) частини 2 статті 9 GDPR (явна згода на обробку даних про здоров’я)',
    },
    date: dotted,
  },
  fa: {
    title: 'رضایت: آیا اداره‌ها اجازه دارند اطلاعات شما را با هم تبادل کنند؟',
    parties: {
      heading: 'کدام اداره اطلاعات شما را به کدام اداره می‌فرستد؟',
      intro: 'اداره‌ها از شما می‌پرسند که آیا اجازه دارند اطلاعات شما را با هم تبادل کنند.',
      senders: 'این اداره‌ها اطلاعات شما را می‌فرستند:',
      recipients: 'این اداره‌ها اطلاعات شما را دریافت می‌کنند:',
    },
    data: { heading: 'کدام اطلاعات؟', intro: 'فقط این اطلاعات تبادل می‌شود:' },
    special: {
      heading: 'اطلاعات سلامت',
      body: 'اطلاعات مربوط به سلامت شما به‌طور ویژه محافظت می‌شود (ماده 9 مقررات عمومی حفاظت از داده‌ها). شما با رضایت خود صریحاً اجازه می‌دهید که اداره‌ها این اطلاعات را هم تبادل کنند.',
    },
    purpose: {
      heading: 'برای چه؟',
      intro: 'اداره‌ها اطلاعات شما را فقط برای این هدف استفاده می‌کنند:',
    },
    duration: {
      heading: 'تا چه زمانی؟',
      body: (date) => `رضایت شما تا تاریخ ${date} معتبر است. پس از آن خودبه‌خود پایان می‌یابد.`,
    },
    voluntary: {
      heading: 'داوطلبانه',
      body: 'رضایت شما داوطلبانه است. اگر «نه» بگویید، هیچ ضرری برای درخواست شما ندارد. شما همچنان همه کمک‌هایی را که حقتان است دریافت می‌کنید. در این صورت اداره‌ها مدارک لازم را مستقیماً از خود شما می‌خواهند.',
    },
    withdrawal: {
      heading: 'پس گرفتن رضایت',
      body: 'شما می‌توانید رضایت خود را هر زمان در پورتال پس بگیرید. این کار فوراً اعمال می‌شود. از آن پس پیام‌هایی هم که هنوز به اداره نرسیده‌اند فرستاده نمی‌شوند. آنچه اداره‌ها پیش از آن تبادل کرده‌اند، قانونی باقی می‌ماند.',
    },
    legalBasis: {
      heading: 'مبنای قانونی',
      consent: 'ماده 6، بند 1، جزء الف مقررات عمومی حفاظت از داده‌ها (رضایت)',
      special:
        'ماده 9، بند 2، جزء الف مقررات عمومی حفاظت از داده‌ها (رضایت صریح برای اطلاعات سلامت)',
    },
    date: dotted,
  },
  tr: {
    title: 'Onay: Kurumlar verilerinizi birbirleriyle paylaşabilir mi?',
    parties: {
      heading: 'Verileriniz kimden kime gidiyor?',
      intro:
        'Kurumlar, sizinle ilgili bilgileri birbirleriyle paylaşıp paylaşamayacaklarını size soruyor.',
      senders: 'Bu kurumlar verilerinizi gönderir:',
      recipients: 'Bu kurumlar verilerinizi alır:',
    },
    data: { heading: 'Hangi veriler?', intro: 'Yalnızca şu veriler paylaşılır:' },
    special: {
      heading: 'Sağlık verileri',
      body: 'Sağlığınızla ilgili bilgiler özel olarak korunur (GDPR madde 9). Onayınızla, kurumların bu bilgileri de paylaşmasına açıkça izin vermiş olursunuz.',
    },
    purpose: {
      heading: 'Ne için?',
      intro: 'Kurumlar verilerinizi yalnızca şu amaç için kullanır:',
    },
    duration: {
      heading: 'Ne kadar süre?',
      body: (date) =>
        `Onayınız ${date} tarihine kadar geçerlidir. Bu tarihten sonra kendiliğinden sona erer.`,
    },
    voluntary: {
      heading: 'Gönüllülük',
      body: 'Onay vermek gönüllüdür. Hayır derseniz, bunun başvurunuz için hiçbir olumsuz sonucu olmaz. Hakkınız olan tüm yardımları yine de alırsınız. Bu durumda kurumlar ihtiyaç duydukları belgeleri doğrudan sizden ister.',
    },
    withdrawal: {
      heading: 'Onayı geri alma',
      body: 'Onayınızı istediğiniz zaman portalda geri alabilirsiniz. Bu hemen geçerli olur. Henüz kuruma ulaşmamış mesajlar da artık iletilmez. Kurumların daha önce paylaştıkları bilgiler hukuka uygun kalır.',
    },
    legalBasis: {
      heading: 'Hukuki dayanak',
      consent: 'GDPR madde 6 fıkra 1 bent (a) (rıza)',
      special: 'GDPR madde 9 fıkra 2 bent (a) (sağlık verileri için açık rıza)',
    },
    date: dotted,
  },
};

/** Directional isolates: an office name of unknown direction cannot reorder the RTL line around it. */
const FIRST_STRONG_ISOLATE = '\u2068';
const POP_DIRECTIONAL_ISOLATE = '\u2069';

/**
 * Line breaks or bidi controls in a registered name could forge lines or reorder what the person
 * reads; a decomposed "Köln" would hash differently from a composed one that looks the same.
 */
function displayName(party: NoticeParty): string {
  const name = party.name
    .normalize('NFC')
    .replace(/[\p{Cc}\u061C\u200E\u200F\u2028\u2029\u202A-\u202E\u2066-\u2069]/gu, ' ')
    .replace(/\s+/gu, ' ')
    .trim();
  if (name === '') throw new Error(`party "${party.id}" has no name to show`);
  return name;
}

const RFC3339 =
  /^(\d{4})-(\d{2})-(\d{2})[Tt ](\d{2}):(\d{2})(?::(\d{2})(?:\.\d+)?)?(?:[Zz]|([+-])(\d{2}):?(\d{2}))$/;

/**
 * The UTC calendar date of an RFC 3339 date-time, computed by hand: `Date.parse` accepts only a
 * subset of RFC 3339 portably, and local-time methods would depend on the host's time zone.
 */
function utcDate(value: string): CalendarDate {
  const match = RFC3339.exec(value);
  if (match === null) throw new Error(`validUntil is not an RFC 3339 date-time: "${value}"`);
  const field = (index: number): number => Number(match[index] ?? '0');
  const [year, month, day, hour, minute] = [field(1), field(2), field(3), field(4), field(5)];
  // A leap second (:60) still belongs to the minute it ends.
  const second = Math.min(field(6), 59);
  const [offsetHours, offsetMins] = [field(8), field(9)];
  const offsetMinutes = (match[7] === '-' ? -1 : 1) * (offsetHours * 60 + offsetMins);
  const local = new Date(0);
  // setUTCFullYear, unlike Date.UTC, does not map years 0–99 to 1900–1999.
  local.setUTCFullYear(year, month - 1, day);
  local.setUTCHours(hour, minute, second, 0);
  if (
    local.getUTCFullYear() !== year ||
    local.getUTCMonth() !== month - 1 ||
    local.getUTCDate() !== day ||
    hour > 23 ||
    minute > 59 ||
    offsetHours > 23 ||
    offsetMins > 59
  ) {
    throw new Error(`validUntil is not a valid date-time: "${value}"`);
  }
  const utc = new Date(local.getTime() - offsetMinutes * 60_000);
  return { year: utc.getUTCFullYear(), month: utc.getUTCMonth() + 1, day: utc.getUTCDate() };
}

/**
 * The consent notice for a request, in the request's language: who sends what to whom, which
 * data, what for, until when, that consent is voluntary and can be withdrawn at once, and the
 * legal basis; with `special`, a paragraph asking for explicit consent to health data
 * (Art. 9(2)(a) GDPR). Parties and categories appear in the order given.
 *
 * Deterministic: equal input gives a byte-equal `text` (see {@link noticeHash}). The date shown
 * is the UTC calendar date of `validUntil`, day first with Western digits (`31.03.2027`), in
 * English `31 March 2027`.
 *
 * @throws Error on input the edge should have refused (a programming error): no sender, recipient
 *   or category; a party without a name; an unknown id; a `validUntil` that is not RFC 3339; or a
 *   special category among `categories` while `special` is false, since a notice must never
 *   cover health data without asking for explicit consent.
 */
export function consentNotice(input: NoticeInput): ConsentNotice {
  const { language } = input;
  if (input.senders.length === 0) throw new Error('a consent notice needs at least one sender');
  if (input.recipients.length === 0) {
    throw new Error('a consent notice needs at least one recipient');
  }
  if (input.categories.length === 0) {
    throw new Error('a consent notice needs at least one data category');
  }
  const specialCategory = input.categories.find((c) => SPECIAL_CATEGORIES.includes(c));
  if (specialCategory !== undefined && !input.special) {
    throw new Error(`category "${specialCategory}" is special (Art. 9 GDPR) but special is false`);
  }

  const phrases = PHRASES[language];
  const rtl = isRightToLeft(language);
  const partyLine = (party: NoticeParty): string => {
    const name = displayName(party);
    const type = label('agencyType', party.agencyType, language).name;
    return `- ${rtl ? FIRST_STRONG_ISOLATE + name + POP_DIRECTIONAL_ISOLATE : name} – ${type}`;
  };
  const categoryLine = (category: DataCategory): string => {
    const { name, description } = label('category', category, language);
    return `- ${name}: ${description}`;
  };
  const purpose = label('purpose', input.purpose, language);
  const until = phrases.date(utcDate(input.validUntil));

  const sections: NoticeSection[] = [
    {
      heading: phrases.parties.heading,
      body: [
        phrases.parties.intro,
        phrases.parties.senders,
        ...input.senders.map(partyLine),
        phrases.parties.recipients,
        ...input.recipients.map(partyLine),
      ].join('\n'),
    },
    {
      heading: phrases.data.heading,
      body: [phrases.data.intro, ...input.categories.map(categoryLine)].join('\n'),
    },
  ];
  if (input.special) sections.push({ ...phrases.special });
  sections.push(
    {
      heading: phrases.purpose.heading,
      body: `${phrases.purpose.intro}\n${purpose.name}: ${purpose.description}`,
    },
    { heading: phrases.duration.heading, body: phrases.duration.body(until) },
    { ...phrases.voluntary },
    { ...phrases.withdrawal },
    {
      heading: phrases.legalBasis.heading,
      body: input.special
        ? `${phrases.legalBasis.consent}\n${phrases.legalBasis.special}`
        : phrases.legalBasis.consent,
    },
  );

  const text = [phrases.title, ...sections.map(({ heading, body }) => `${heading}\n${body}`)].join(
    '\n\n',
  );
  return { language, title: phrases.title, sections, text };
}

/**
 * The base64url (no padding) SHA-256 of the UTF-8 bytes of `notice.text`: the value recorded in
 * the consent and the receipt, 43 characters long.
 */
export async function noticeHash(notice: ConsentNotice): Promise<string> {
  const digest = await crypto.subtle.digest('SHA-256', new TextEncoder().encode(notice.text));
  let binary = '';
  for (const byte of new Uint8Array(digest)) binary += String.fromCharCode(byte);
  return btoa(binary).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
}

/** What a consent request asks for, by ids, as requests and consents store it. */
export interface NoticeTerms {
  readonly senders: readonly string[];
  readonly recipients: readonly string[];
  readonly purpose: string;
  readonly categories: readonly string[];
  readonly validUntil: string;
}

/**
 * The notice for stored or requested terms in one language, with the offices named by
 * `partyOf`. The one place that turns terms into a notice, for the request the office makes and
 * for the language the person reads it in; health data always asks for explicit consent.
 */
export function noticeForTerms(
  terms: NoticeTerms,
  language: Language,
  partyOf: (id: string) => NoticeParty,
): ConsentNotice {
  const categories = terms.categories as readonly DataCategory[];
  return consentNotice({
    language,
    senders: terms.senders.map(partyOf),
    recipients: terms.recipients.map(partyOf),
    purpose: terms.purpose as Purpose,
    categories,
    validUntil: terms.validUntil,
    special: categories.some((c) => SPECIAL_CATEGORIES.includes(c)),
  });
}
