import type { LanguageLabels } from './labels.ts';

/**
 * Arabic: the plural of respect (أنتم, ـكم) throughout, as official Arabic letters address a person.
 */
export const ar = {
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
