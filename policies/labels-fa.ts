import type { LanguageLabels } from './labels.ts';

/**
 * Persian: Persian letters (ی, ک, not the Arabic ي, ك) and the zero-width non-joiner (U+200C)
 * inside words such as «می‌کنند» and «اداره‌ها», as standard Persian orthography has them.
 */
export const fa = {
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
