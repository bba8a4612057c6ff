/**
 * Plain-language labels for the vocabulary (`../shared/API.md`, Vocabulary) in every portal
 * language. The portal, the consent notice and the person's history show these, never the ids.
 *
 * German follows "Einfache Sprache": short sentences, everyday words, long compounds split with a
 * hyphen. The other languages address the person formally (Sie, Ви, siz, شما, and the Arabic
 * plural of respect). Where a German office name or term appears on the letters a person gets
 * (Ausländerbehörde, Sozialamt, Bürgergeld), it stays next to the translation so they can match it.
 *
 * These strings end up inside consent notices whose SHA-256 hash is recorded: changing one changes
 * the text of every notice generated afterwards (notices already given keep their stored text).
 */
import type { AgencyType } from './vocabulary.ts';
import type { DataCategory, Language, Purpose } from './vocabulary.ts';

/** What a label names: a purpose, a data category or an agency type. */
export type LabelKind = 'purpose' | 'category' | 'agencyType';

/** A short name and one sentence a person without legal or administrative knowledge understands. */
export interface Label {
  readonly name: string;
  readonly description: string;
}

/** The labels of one language; every id of the vocabulary must be present. */
export interface LanguageLabels {
  readonly purpose: Readonly<Record<Purpose, Label>>;
  readonly category: Readonly<Record<DataCategory, Label>>;
  readonly agencyType: Readonly<Record<AgencyType, Label>>;
}

const de = {
  purpose: {
    labour_market_integration: {
      name: 'Arbeit oder Ausbildung finden',
      description: 'Die Ämter helfen Ihnen gemeinsam, eine Arbeit oder eine Ausbildung zu finden.',
    },
    benefit_eligibility: {
      name: 'Prüfen, ob Sie Leistungen bekommen',
      description:
        'Das Amt prüft, ob Sie Geld oder andere Hilfe vom Staat bekommen können, zum Beispiel Bürgergeld oder Sozial-Hilfe.',
    },
    residence_procedure: {
      name: 'Entscheidung über Ihren Aufenthalt',
      description:
        'Die Ausländer-Behörde entscheidet über Ihren Aufenthalt in Deutschland, zum Beispiel über eine Aufenthalts-Erlaubnis.',
    },
    language_course_allocation: {
      name: 'Platz in einem Deutsch-Kurs',
      description:
        'Die Ämter suchen für Sie einen passenden Deutsch-Kurs, zum Beispiel einen Integrations-Kurs.',
    },
    case_management: {
      name: 'Persönliche Begleitung (Case Management)',
      description:
        'Eine Fall-Managerin oder ein Fall-Manager plant mit Ihnen die nächsten Schritte und spricht darüber mit den anderen Ämtern.',
    },
  },
  category: {
    identity: {
      name: 'Angaben zu Ihrer Person',
      description: 'Ihr Name, Ihr Geburts-Datum und Ihre Staats-Angehörigkeit.',
    },
    contact: {
      name: 'Kontakt-Daten',
      description: 'Ihre Adresse, Ihre Telefon-Nummer und Ihre E-Mail-Adresse.',
    },
    residence_status: {
      name: 'Aufenthalts-Status',
      description: 'Ihr Aufenthalts-Status (zum Beispiel Duldung oder Aufenthalts-Erlaubnis).',
    },
    employment_permission: {
      name: 'Erlaubnis zum Arbeiten',
      description: 'Ob Sie in Deutschland arbeiten dürfen und unter welchen Bedingungen.',
    },
    qualifications: {
      name: 'Abschlüsse und Ausbildung',
      description:
        'Ihre Schul-Abschlüsse, Ihre Ausbildung und Ihr Studium, auch aus Ihrem Herkunfts-Land.',
    },
    language_skills: {
      name: 'Sprach-Kenntnisse',
      description: 'Wie gut Sie Deutsch und andere Sprachen können (zum Beispiel Niveau B1).',
    },
    employment_history: {
      name: 'Bisherige Arbeit',
      description: 'Wo Sie schon gearbeitet haben und seit wann Sie Arbeit suchen.',
    },
    benefits: {
      name: 'Leistungen vom Amt',
      description: 'Welches Geld oder welche Hilfe Sie vom Amt bekommen und seit wann.',
    },
    household: {
      name: 'Haushalt',
      description: 'Wer mit Ihnen in einer Wohnung lebt, zum Beispiel Ihre Familie.',
    },
    housing: {
      name: 'Wohnen',
      description:
        'Wo und wie Sie wohnen, zum Beispiel in einer eigenen Wohnung oder in einer Unterkunft.',
    },
    health: {
      name: 'Gesundheit',
      description:
        'Angaben zu Ihrer Gesundheit, zum Beispiel eine Krankheit oder eine Behinderung.',
    },
  },
  agencyType: {
    immigration_office: {
      name: 'Ausländer-Behörde',
      description: 'Das Amt, das über Ihren Aufenthalt in Deutschland entscheidet.',
    },
    jobcenter: {
      name: 'Jobcenter',
      description: 'Das Amt, das Ihnen hilft, Arbeit zu finden, und Bürgergeld zahlt.',
    },
    social_office: {
      name: 'Sozial-Amt',
      description:
        'Das Amt, das Ihnen Geld zum Leben und andere Hilfe gibt, zum Beispiel Sozial-Hilfe oder Leistungen für Asyl-Bewerber.',
    },
  },
} satisfies LanguageLabels;

const en = {
  purpose: {
    labour_market_integration: {
      name: 'Finding work or training',
      description: 'The offices work together to help you find a job or vocational training.',
    },
    benefit_eligibility: {
      name: 'Checking your right to benefits',
      description:
        "The office checks whether you can receive money or other support from the state, for example citizen's income (Bürgergeld) or social assistance.",
    },
    residence_procedure: {
      name: 'Decision on your residence',
      description:
        'The immigration office decides on your stay in Germany, for example on a residence permit.',
    },
    language_course_allocation: {
      name: 'Place in a German course',
      description:
        'The offices find a suitable German course for you, for example an integration course.',
    },
    case_management: {
      name: 'Personal case management',
      description:
        'A case manager plans the next steps with you and discusses them with the other offices.',
    },
  },
  category: {
    identity: {
      name: 'Personal details',
      description: 'Your name, your date of birth and your nationality.',
    },
    contact: {
      name: 'Contact details',
      description: 'Your address, your phone number and your email address.',
    },
    residence_status: {
      name: 'Residence status',
      description:
        'Your residence status (for example a Duldung, which suspends deportation, or a residence permit).',
    },
    employment_permission: {
      name: 'Permission to work',
      description: 'Whether you are allowed to work in Germany, and under which conditions.',
    },
    qualifications: {
      name: 'Qualifications',
      description:
        'Your school certificates, your vocational training and your studies, also from your home country.',
    },
    language_skills: {
      name: 'Language skills',
      description: 'How well you speak German and other languages (for example level B1).',
    },
    employment_history: {
      name: 'Work history',
      description: 'Where you have worked so far and since when you have been looking for work.',
    },
    benefits: {
      name: 'Benefits',
      description: 'Which money or support you receive from the office, and since when.',
    },
    household: {
      name: 'Household',
      description: 'Who lives with you in your home, for example your family.',
    },
    housing: {
      name: 'Housing',
      description:
        'Where and how you live, for example in your own flat or in shared accommodation.',
    },
    health: {
      name: 'Health',
      description: 'Information about your health, for example an illness or a disability.',
    },
  },
  agencyType: {
    immigration_office: {
      name: 'Immigration office (Ausländerbehörde)',
      description: 'The office that decides on your stay in Germany.',
    },
    jobcenter: {
      name: 'Jobcenter',
      description: "The office that helps you find work and pays citizen's income (Bürgergeld).",
    },
    social_office: {
      name: 'Social welfare office (Sozialamt)',
      description:
        "The office that gives you money to live on and other support, for example social assistance or asylum seekers' benefits.",
    },
  },
} satisfies LanguageLabels;

// Arabic: the plural of respect (أنتم, ـكم) throughout, as official Arabic letters address a person.
const ar = {
  purpose: {
    labour_market_integration: {
      name: 'إيجاد عمل أو تدريب مهني',
      description: 'تتعاون المكاتب لمساعدتكم في إيجاد عمل أو تدريب مهني.',
    },
    benefit_eligibility: {
      name: 'التحقق من حقكم في الإعانات',
      description:
        'يتحقق المكتب مما إذا كان بإمكانكم الحصول على مال أو مساعدة أخرى من الدولة، مثل إعانة المواطن أو المساعدة الاجتماعية.',
    },
    residence_procedure: {
      name: 'القرار بشأن إقامتكم',
      description: 'تتخذ دائرة الأجانب قرارًا بشأن إقامتكم في ألمانيا، مثلًا بشأن تصريح الإقامة.',
    },
    language_course_allocation: {
      name: 'مكان في دورة لغة ألمانية',
      description: 'تبحث المكاتب لكم عن دورة مناسبة لتعلم اللغة الألمانية، مثل دورة الاندماج.',
    },
    case_management: {
      name: 'المرافقة الشخصية (إدارة الحالة)',
      description: 'يخطط معكم مدير الحالة للخطوات التالية ويتحدث بشأنها مع المكاتب الأخرى.',
    },
  },
  category: {
    identity: {
      name: 'البيانات الشخصية',
      description: 'اسمكم وتاريخ ميلادكم وجنسيتكم.',
    },
    contact: {
      name: 'بيانات الاتصال',
      description: 'عنوانكم ورقم هاتفكم وبريدكم الإلكتروني.',
    },
    residence_status: {
      name: 'وضع الإقامة',
      description: 'وضع إقامتكم (مثل وقف الترحيل المؤقت أو تصريح الإقامة).',
    },
    employment_permission: {
      name: 'إذن العمل',
      description: 'هل يُسمح لكم بالعمل في ألمانيا، وبأي شروط.',
    },
    qualifications: {
      name: 'المؤهلات',
      description:
        'شهاداتكم المدرسية وتدريبكم المهني ودراستكم، بما في ذلك ما حصلتم عليه في بلدكم الأصلي.',
    },
    language_skills: {
      name: 'المعرفة اللغوية',
      description: 'مدى إتقانكم للغة الألمانية ولغات أخرى (مثل المستوى B1).',
    },
    employment_history: {
      name: 'الخبرة العملية السابقة',
      description: 'أين عملتم حتى الآن، ومنذ متى تبحثون عن عمل.',
    },
    benefits: {
      name: 'الإعانات',
      description: 'ما تحصلون عليه من مال أو مساعدة من المكتب، ومنذ متى.',
    },
    household: {
      name: 'الأسرة المعيشية',
      description: 'من يعيش معكم في مسكنكم، مثل أفراد عائلتكم.',
    },
    housing: {
      name: 'السكن',
      description: 'أين وكيف تسكنون، مثلًا في شقة خاصة بكم أو في سكن جماعي.',
    },
    health: {
      name: 'الصحة',
      description: 'معلومات عن صحتكم، مثل مرض أو إعاقة.',
    },
  },
  agencyType: {
    immigration_office: {
      name: 'دائرة الأجانب (Ausländerbehörde)',
      description: 'الدائرة التي تتخذ القرار بشأن إقامتكم في ألمانيا.',
    },
    jobcenter: {
      name: 'مركز العمل (Jobcenter)',
      description: 'المكتب الذي يساعدكم في إيجاد عمل ويدفع إعانة المواطن.',
    },
    social_office: {
      name: 'مكتب الشؤون الاجتماعية (Sozialamt)',
      description:
        'المكتب الذي يقدم لكم المال اللازم للمعيشة ومساعدات أخرى، مثل المساعدة الاجتماعية أو إعانات طالبي اللجوء.',
    },
  },
} satisfies LanguageLabels;

// Ukrainian: the polite «Ви» is capitalised when it addresses one person, as in official letters.
const uk = {
  purpose: {
    labour_market_integration: {
      name: 'Пошук роботи або навчання',
      description: 'Установи разом допомагають Вам знайти роботу або професійне навчання.',
    },
    benefit_eligibility: {
      name: 'Перевірка права на виплати',
      description:
        'Установа перевіряє, чи можете Ви отримувати від держави гроші або іншу допомогу, наприклад громадянську допомогу (Bürgergeld) або соціальну допомогу.',
    },
    residence_procedure: {
      name: 'Рішення щодо Вашого перебування',
      description:
        'Відомство у справах іноземців ухвалює рішення щодо Вашого перебування в Німеччині, наприклад щодо дозволу на проживання.',
    },
    language_course_allocation: {
      name: 'Місце на курсі німецької мови',
      description:
        'Установи підбирають для Вас відповідний курс німецької мови, наприклад інтеграційний курс.',
    },
    case_management: {
      name: 'Особистий супровід (кейс-менеджмент)',
      description:
        'Кейс-менеджер разом із Вами планує наступні кроки та обговорює їх з іншими установами.',
    },
  },
  category: {
    identity: {
      name: 'Особисті дані',
      description: 'Ваше ім’я, дата народження та громадянство.',
    },
    contact: {
      name: 'Контактні дані',
      description: 'Ваша адреса, номер телефону та адреса електронної пошти.',
    },
    residence_status: {
      name: 'Статус перебування',
      description:
        'Ваш статус перебування (наприклад, тимчасове призупинення депортації або дозвіл на проживання).',
    },
    employment_permission: {
      name: 'Дозвіл на роботу',
      description: 'Чи дозволено Вам працювати в Німеччині і на яких умовах.',
    },
    qualifications: {
      name: 'Освіта та кваліфікація',
      description:
        'Ваші шкільні атестати, професійна освіта та навчання в університеті, зокрема здобуті у Вашій країні походження.',
    },
    language_skills: {
      name: 'Знання мов',
      description:
        'Наскільки добре Ви володієте німецькою та іншими мовами (наприклад, рівень B1).',
    },
    employment_history: {
      name: 'Досвід роботи',
      description: 'Де Ви вже працювали і відколи шукаєте роботу.',
    },
    benefits: {
      name: 'Соціальні виплати',
      description: 'Які гроші чи допомогу Ви отримуєте від установи і відколи.',
    },
    household: {
      name: 'Домогосподарство',
      description: 'Хто живе разом із Вами, наприклад члени Вашої родини.',
    },
    housing: {
      name: 'Житло',
      description: 'Де і як Ви живете, наприклад у власній квартирі або в спільному житлі.',
    },
    health: {
      name: 'Здоров’я',
      description: 'Відомості про Ваше здоров’я, наприклад про хворобу чи інвалідність.',
    },
  },
  agencyType: {
    immigration_office: {
      name: 'Відомство у справах іноземців (Ausländerbehörde)',
      description: 'Установа, яка вирішує питання Вашого перебування в Німеччині.',
    },
    jobcenter: {
      name: 'Джобцентр (Jobcenter)',
      description:
        'Установа, яка допомагає Вам знайти роботу та виплачує громадянську допомогу (Bürgergeld).',
    },
    social_office: {
      name: 'Соціальне відомство (Sozialamt)',
      description:
        'Установа, яка надає Вам гроші на життя та іншу допомогу, наприклад соціальну допомогу або допомогу для шукачів притулку.',
    },
  },
} satisfies LanguageLabels;

// Persian: Persian letters (ی, ک, not the Arabic ي, ك) and the zero-width non-joiner (U+200C)
// inside words such as «می‌کنند» and «اداره‌ها», as standard Persian orthography has them.
const fa = {
  purpose: {
    labour_market_integration: {
      name: 'پیدا کردن کار یا آموزش حرفه‌ای',
      description: 'اداره‌ها با هم به شما کمک می‌کنند تا کار یا آموزش حرفه‌ای پیدا کنید.',
    },
    benefit_eligibility: {
      name: 'بررسی حق دریافت کمک‌هزینه',
      description:
        'اداره بررسی می‌کند که آیا می‌توانید از دولت پول یا کمک دیگری دریافت کنید، مثلاً درآمد شهروندی یا کمک اجتماعی.',
    },
    residence_procedure: {
      name: 'تصمیم درباره اقامت شما',
      description:
        'اداره اتباع خارجی درباره اقامت شما در آلمان تصمیم می‌گیرد، مثلاً درباره اجازه اقامت.',
    },
    language_course_allocation: {
      name: 'ثبت‌نام در دوره زبان آلمانی',
      description: 'اداره‌ها برای شما یک دوره مناسب زبان آلمانی پیدا می‌کنند، مثلاً دوره ادغام.',
    },
    case_management: {
      name: 'همراهی شخصی (مدیریت پرونده)',
      description:
        'یک مسئول پرونده همراه با شما قدم‌های بعدی را برنامه‌ریزی می‌کند و درباره آن‌ها با اداره‌های دیگر صحبت می‌کند.',
    },
  },
  category: {
    identity: {
      name: 'مشخصات فردی',
      description: 'نام، تاریخ تولد و تابعیت شما.',
    },
    contact: {
      name: 'اطلاعات تماس',
      description: 'نشانی، شماره تلفن و ایمیل شما.',
    },
    residence_status: {
      name: 'وضعیت اقامت',
      description: 'وضعیت اقامت شما (مثلاً تعلیق موقت اخراج یا اجازه اقامت).',
    },
    employment_permission: {
      name: 'اجازه کار',
      description: 'اینکه آیا اجازه دارید در آلمان کار کنید و با چه شرایطی.',
    },
    qualifications: {
      name: 'تحصیلات و مدارک',
      description:
        'مدارک مدرسه، آموزش حرفه‌ای و تحصیلات دانشگاهی شما، از جمله آنچه در کشور خودتان به دست آورده‌اید.',
    },
    language_skills: {
      name: 'مهارت‌های زبانی',
      description: 'اینکه آلمانی و زبان‌های دیگر را چقدر خوب می‌دانید (مثلاً سطح B1).',
    },
    employment_history: {
      name: 'سابقه کار',
      description: 'اینکه تاکنون کجا کار کرده‌اید و از چه زمانی دنبال کار هستید.',
    },
    benefits: {
      name: 'کمک‌هزینه‌ها',
      description: 'اینکه چه پول یا کمکی از اداره می‌گیرید و از چه زمانی.',
    },
    household: {
      name: 'خانوار',
      description: 'اینکه چه کسانی با شما در یک خانه زندگی می‌کنند، مثلاً اعضای خانواده شما.',
    },
    housing: {
      name: 'محل سکونت',
      description: 'اینکه کجا و چگونه زندگی می‌کنید، مثلاً در آپارتمان خودتان یا در محل اسکان جمعی.',
    },
    health: {
      name: 'سلامت',
      description: 'اطلاعات درباره سلامت شما، مثلاً یک بیماری یا معلولیت.',
    },
  },
  agencyType: {
    immigration_office: {
      name: 'اداره اتباع خارجی (Ausländerbehörde)',
      description: 'اداره‌ای که درباره اقامت شما در آلمان تصمیم می‌گیرد.',
    },
    jobcenter: {
      name: 'جاب‌سنتر (Jobcenter)',
      description: 'اداره‌ای که به شما برای پیدا کردن کار کمک می‌کند و درآمد شهروندی می‌پردازد.',
    },
    social_office: {
      name: 'اداره امور اجتماعی (Sozialamt)',
      description:
        'اداره‌ای که به شما پول برای زندگی و کمک‌های دیگر می‌دهد، مثلاً کمک اجتماعی یا کمک‌هزینه پناهجویان.',
    },
  },
} satisfies LanguageLabels;

const tr = {
  purpose: {
    labour_market_integration: {
      name: 'İş veya meslek eğitimi bulma',
      description: 'Kurumlar, iş veya meslek eğitimi bulmanız için birlikte size yardım eder.',
    },
    benefit_eligibility: {
      name: 'Yardım hakkınızın incelenmesi',
      description:
        'Kurum, devletten para veya başka bir yardım alıp alamayacağınızı inceler, örneğin Vatandaş Parası (Bürgergeld) veya sosyal yardım.',
    },
    residence_procedure: {
      name: 'Oturumunuzla ilgili karar',
      description:
        'Yabancılar Dairesi, Almanya’daki oturumunuz hakkında karar verir, örneğin oturma izni hakkında.',
    },
    language_course_allocation: {
      name: 'Almanca kursunda yer',
      description: 'Kurumlar sizin için uygun bir Almanca kursu bulur, örneğin bir uyum kursu.',
    },
    case_management: {
      name: 'Kişisel vaka yönetimi',
      description:
        'Bir vaka yöneticisi sizinle birlikte sonraki adımları planlar ve bunları diğer kurumlarla konuşur.',
    },
  },
  category: {
    identity: {
      name: 'Kimlik bilgileri',
      description: 'Adınız, doğum tarihiniz ve vatandaşlığınız.',
    },
    contact: {
      name: 'İletişim bilgileri',
      description: 'Adresiniz, telefon numaranız ve e-posta adresiniz.',
    },
    residence_status: {
      name: 'Oturum durumu',
      description: 'Oturum durumunuz (örneğin Duldung belgesi veya oturma izni).',
    },
    employment_permission: {
      name: 'Çalışma izni',
      description: 'Almanya’da çalışmanıza izin verilip verilmediği ve hangi koşullarla.',
    },
    qualifications: {
      name: 'Eğitim ve diplomalar',
      description:
        'Okul diplomalarınız, meslek eğitiminiz ve üniversite öğreniminiz, kendi ülkenizde edindikleriniz de dahil.',
    },
    language_skills: {
      name: 'Dil bilgisi',
      description: 'Almancayı ve diğer dilleri ne kadar iyi bildiğiniz (örneğin B1 seviyesi).',
    },
    employment_history: {
      name: 'İş geçmişi',
      description: 'Şimdiye kadar nerelerde çalıştığınız ve ne zamandan beri iş aradığınız.',
    },
    benefits: {
      name: 'Sosyal yardımlar',
      description: 'Kurumdan hangi parayı veya yardımı aldığınız ve ne zamandan beri aldığınız.',
    },
    household: {
      name: 'Hane',
      description: 'Sizinle aynı evde kimlerin yaşadığı, örneğin aile üyeleriniz.',
    },
    housing: {
      name: 'Konut',
      description:
        'Nerede ve nasıl yaşadığınız, örneğin kendi dairenizde veya toplu konaklama yerinde.',
    },
    health: {
      name: 'Sağlık',
      description: 'Sağlığınızla ilgili bilgiler, örneğin bir hastalık veya engellilik durumu.',
    },
  },
  agencyType: {
    immigration_office: {
      name: 'Yabancılar Dairesi (Ausländerbehörde)',
      description: 'Almanya’daki oturumunuz hakkında karar veren kurum.',
    },
    jobcenter: {
      name: 'Jobcenter (İş Merkezi)',
      description: 'İş bulmanıza yardım eden ve Vatandaş Parası (Bürgergeld) ödeyen kurum.',
    },
    social_office: {
      name: 'Sosyal Yardım Dairesi (Sozialamt)',
      description:
        'Size geçiminiz için para ve başka yardımlar veren kurum, örneğin sosyal yardım veya sığınmacı yardımları.',
    },
  },
} satisfies LanguageLabels;

/** Freezes the table all the way down, so no caller can alter what later notices will say. */
function frozen<T extends object>(value: T): Readonly<T> {
  for (const inner of Object.values(value)) {
    if (typeof inner === 'object' && inner !== null) frozen(inner as object);
  }
  return Object.freeze(value);
}

/**
 * Every label in every portal language. The `satisfies` on each language and this annotation
 * make a missing language, kind or id a compile error.
 */
export const LABELS: Readonly<Record<Language, LanguageLabels>> = frozen({
  de,
  en,
  ar,
  uk,
  fa,
  tr,
});

/**
 * The label of one vocabulary id in one language.
 *
 * @throws Error when the language or id is not in the vocabulary: callers pass validated ids, so
 *   an unknown one is a programming error, not a user's mistake.
 * @example label('category', 'residence_status', 'de').name // 'Aufenthalts-Status'
 */
export function label(kind: LabelKind, id: string, language: Language): Label {
  if (!Object.hasOwn(LABELS, language)) throw new Error(`no labels for language "${language}"`);
  const table: Readonly<Record<string, Label>> = LABELS[language][kind];
  const found = Object.hasOwn(table, id) ? table[id] : undefined;
  if (found === undefined) throw new Error(`no ${kind} "${id}" in the vocabulary`);
  return found;
}

const DIRECTION: Readonly<Record<Language, 'ltr' | 'rtl'>> = {
  de: 'ltr',
  en: 'ltr',
  ar: 'rtl',
  uk: 'ltr',
  fa: 'rtl',
  tr: 'ltr',
};

/** Whether a language is written right to left (`ar`, `fa`), for `dir="rtl"` in the portal. */
export function isRightToLeft(language: Language): boolean {
  return DIRECTION[language] === 'rtl';
}
