import type { LanguageLabels } from './labels.ts';

/** Turkish: the person addressed formally (siz). */
export const tr = {
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
