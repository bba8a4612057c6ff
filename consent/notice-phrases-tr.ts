import { dotted } from './notice-dates.ts';
import type { NoticePhrases } from './notice-phrases.ts';

/** Turkish, the person addressed with the polite "siz". */
export const tr: NoticePhrases = {
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
  purpose: { heading: 'Ne için?', intro: 'Kurumlar verilerinizi yalnızca şu amaç için kullanır:' },
  duration: {
    heading: 'Ne kadar süre?',
    body: (date) =>
      `Onayınız ${date} tarihine kadar geçerlidir. Bu tarihten sonra kendiliğinden sona erer.`,
  },
  retention: {
    heading: 'Kurumlar verilerinizi ne kadar süre saklar?',
    intro:
      'Her kurum verilerinizi aldıktan sonra en fazla bu süre boyunca saklayabilir. Sonra kurum verileri silmek zorundadır.',
    atMost: (n) => `en fazla ${String(n)} gün`,
  },
  voluntary: {
    heading: 'Gönüllülük',
    body: 'Onay vermek gönüllüdür. Hayır derseniz, bunun başvurunuz için hiçbir olumsuz sonucu olmaz. Hakkınız olan tüm yardımları yine de alırsınız. Bu durumda kurumlar ihtiyaç duydukları belgeleri doğrudan sizden ister.',
  },
  withdrawal: {
    heading: 'Onayı geri alma',
    intro: 'Onayınızı istediğiniz zaman geri alabilirsiniz. Bunun için şu yollar vardır:',
    methods: {
      'portal-withdrawal-code':
        '- Portalda geri alma kodunuzla. Bu kodu onay verdiğinizde alırsınız. Bu kodu yalnızca siz alırsınız.',
      'portal-eid': '- Portalda kimlik kartınızla (çevrim içi kimlik).',
      office:
        '- Yukarıdaki kurumlardan birinde: Onayınızı geri aldığınızı orada söyleyin. Kurum bunu kaydeder.',
    },
    effect:
      'Bu hemen geçerli olur. Henüz kuruma ulaşmamış mesajlar da artık iletilmez. Kurumların daha önce paylaştıkları bilgiler hukuka uygun kalır.',
  },
  controllers: {
    heading: 'Kim sorumlu?',
    intro:
      'Her kurum verilerinizden kendisi sorumludur. Veri koruma ile ilgili sorularınız mı var? O zaman kurumun veri koruma görevlisine sorun.',
    address: 'Adres',
    dpo: 'Veri koruma görevlisi',
    noAddress: 'burada kayıtlı değil. Lütfen kuruma sorun.',
    noDpo: 'kurumun adresi üzerinden',
  },
  complaint: {
    heading: 'Şikâyet',
    intro:
      'Bir kurumun verilerinizi doğru işlemediğini mi düşünüyorsunuz? O zaman şikâyette bulunabilirsiniz. Yetkili makam veri koruma denetim makamıdır:',
    email: 'E-posta',
    web: 'İnternet sitesi',
  },
  legalBasis: {
    heading: 'Hukuki dayanak',
    consent: 'GDPR madde 6 fıkra 1 bent (a) (rıza)',
    special: 'GDPR madde 9 fıkra 2 bent (a) (sağlık verileri için açık rıza)',
  },
  date: dotted,
};
