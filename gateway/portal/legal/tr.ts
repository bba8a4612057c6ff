import type { LegalTexts } from './texts.ts';

/** Turkish, translated from the German reference (`de.ts`); plain language, German law cited. */
export const tr: LegalTexts = {
  links: {
    label: 'Portal hakkında bilgiler',
    impressum: 'Künye',
    privacy: 'Veri koruma',
    accessibility: 'Erişilebilirlik',
    help: 'Yardım',
  },
  notSet: 'Bu bilgi henüz eksik.',
  impressum: {
    title: 'Künye (Impressum)',
    intro: 'Bu portalı kimin sunduğu (§ 5 DDG ve § 18 MStV uyarınca bilgiler).',
    municipality: 'Belediye',
    operator: 'Sitenin işletmecisi',
    representative: 'Temsilcisi',
    supervision: 'Veri koruma denetimi',
    supervisionText: 'Bu kurum, belediyenin verilerinizi doğru koruyup korumadığını denetler:',
    email: 'E-posta',
    web: 'İnternet',
  },
  privacy: {
    title: 'Portalda veri koruma',
    intro:
      'Bu portalın hangi verileri işlediği. Neden, ne kadar süre ve hangi haklarınız olduğu (GDPR madde 13).',
    controllerHeading: 'Kim sorumlu?',
    controllerText: 'Bu portaldan sorumlu olan:',
    dpoHeading: 'Veri koruma görevlisi',
    dpoText: 'Veri koruma görevlisine şöyle ulaşabilirsiniz:',
    dataHeading: 'Portal hangi verileri işler?',
    data: [
      'Kurumun mektubundaki kod. Bununla bir talebi açarsınız.',
      'Doğum tarihiniz. Portal bunu yalnızca kurumun kaydettiği doğum tarihiyle karşılaştırır. Girdiğiniz tarihi portal kaydetmez.',
      'Kararlarınız: kabul mü, ret mi, geri alma mı ve ne zaman. Portal bunları kanıt olarak saklar. Kurumlar bunlara uymak zorundadır.',
      'Giriş için bir çerez (oturum çerezi). İçinde yalnızca rastgele bir numara vardır. Portal bununla giriş yaptığınızı anlar.',
      'Dil için bir çerez. İçinde yalnızca seçtiğiniz dil vardır.',
      'Cihazınızın internet adresi (IP adresi). Portal bununla yanlış girişleri sayar, saldırılara karşı korumak için. Adres bunun için yalnızca sunucunun belleğinde tutulur. Diske ve kayıt dosyasına yazılmaz.',
    ],
    eid: 'Kimlik kartınızla da giriş yapabilirsiniz (çevrim içi kimlik). O zaman portal sizi bir giriş hizmetine yönlendirir. Portal oradan adınızı ve doğum tarihinizi alır. Bunlarla kurumların size yönelik taleplerini bulur.',
    noTracking: [
      'Reklam yok, analiz programı yok, izleme yok. Portal başka sağlayıcılardan hiçbir şey yüklemez: yazı tipi yok, harita yok, video yok.',
      'Portalın kendisi verilerinizi kimseye vermez. Kurumlar verileri yalnızca siz onay verdiyseniz alır.',
      'Sunucunun kayıt dosyasında sizinle ilgili veri yoktur: IP adresi yok, kod yok, doğum tarihi yok. Yalnızca hangi sayfanın ne zaman açıldığı ve işlemin başarılı olup olmadığı yazılır.',
    ],
    purposesHeading: 'Ne için ve hangi hukuki dayanakla?',
    purposes: [
      'Onay verebilmeniz, reddedebilmeniz, görebilmeniz ve geri alabilmeniz için. Ve portalın verilerinizi saldırılara karşı koruması için.',
      'Onayınız için: GDPR madde 6 f. 1 bent a ve md. 7. Sağlık gibi özel olarak korunan veriler için ayrıca GDPR madde 9 f. 2 bent a.',
      'Portalın işletilmesi ve güvenliği için: GDPR madde 6 f. 1 bent e ve f. 3, eyaletin veri koruma yasasıyla birlikte (Kuzey Ren-Vestfalya’da § 3 DSG NRW).',
      'Portal çalışmak için iki çereze de ihtiyaç duyar. Bu yüzden bunlar için onayınızı sormaz (§ 25 f. 2 no. 2 TDDDG).',
    ],
    retentionHeading: 'Ne kadar süre?',
    retention: [
      'Girişiniz {minutes} dakika işlem yapılmazsa sona erer. Ya da çıkış yaptığınızda. Oturum çerezini tarayıcınız, onu kapattığınızda siler.',
      'Dil çerezi {days} gün kalır. Onu tarayıcınızda silebilirsiniz.',
      'Bir kod yalnızca mektupta yazan güne kadar geçerlidir. Karar verdikten sonra artık geçerli değildir.',
      'Onaylar ve onlarla ilgili kayıtlar kanıt olarak saklanır. Kayıtta adınız geçmez, yalnızca bir tanıtıcı geçer. Verileriniz silinirse, sizinle bu tanıtıcı arasındaki bağlantı okunamaz hale getirilir.',
    ],
    rightsHeading: 'Haklarınız',
    rightsIntro: 'Şu haklara sahipsiniz:',
    rights: [
      'Bilgi alma: Hakkınızda hangi verilerin saklandığını sorabilirsiniz (GDPR madde 15).',
      'Düzeltme: Yanlış veriler düzeltilir (GDPR madde 16).',
      'Silme: Bir neden varsa verileriniz silinir (GDPR madde 17).',
      'Kısıtlama: Verileriniz bir süre yalnızca saklanır, kullanılmaz (GDPR madde 18).',
      'İtiraz: Portalın işletilmesi için yapılan işlemeye itiraz edebilirsiniz (GDPR madde 21).',
      'Veri taşıma: Verdiğiniz verileri bir dosya olarak alırsınız (GDPR madde 20).',
      'Geri alma: Her onayı istediğiniz zaman geri alabilirsiniz, burada portalda ya da kurumda. Daha önce olanlar hukuka uygun kalır (GDPR madde 7 f. 3).',
    ],
    rightsHow:
      'Bunun için size yazan kuruma yazın. Ya da veri koruma görevlisine (iletişim bilgileri yukarıda).',
    complaintHeading: 'Şikâyet',
    complaintText:
      'Verilerinizle yanlış bir şey yaptığımızı mı düşünüyorsunuz? O zaman veri koruma denetim makamına şikâyette bulunabilirsiniz (GDPR madde 77):',
  },
  accessibility: {
    title: 'Erişilebilirlik beyanı',
    intro:
      '{name}, herkesin bu portalı rahatça kullanabilmesini istiyor. Bu beyan onay portalı için geçerlidir.',
    basis:
      'Dayanak, (AB) 2016/2102 sayılı Yönerge ve erişilebilir bilgi teknolojisi yönetmelikleridir (BITV 2.0; Kuzey Ren-Vestfalya’da BITV NRW). Ölçüt EN 301 549 standardı ve WCAG 2.1, AA düzeyidir.',
    statusHeading: 'Portal ne kadar erişilebilir?',
    status:
      'Portal kısmen erişilebilirdir. Yani: Gereklilikleri kısmen karşılar. Eksik olanlar aşağıda yazıyor. Değerlendirme bir öz değerlendirmedir: otomatik testler ve geliştirme ekibinin kontrolü. Henüz bağımsız bir denetim yapılmadı.',
    limitsHeading: 'Henüz erişilebilir olmayanlar',
    limits: [
      'İndirilebilen onay belgesi, kontrol programları için imzalı bir dosyadır. İnsanlar onu zor okur. Onay belgesini portaldaki sayfasında okuyun. O sayfayı yazdırabilirsiniz de.',
      'Henüz Alman İşaret Dili’nde bilgi yok.',
      'Kurumların adları ve adresleri yalnızca Almancadır.',
    ],
    dateHeading: 'Tarih',
    date: 'Bu beyanın tarihi: {date}.',
    feedbackHeading: 'Engel bildirin',
    feedbackText:
      'Bir engel mi buldunuz? Ya da bir içeriğe başka bir biçimde mi ihtiyacınız var? O zaman buradan bize ulaşın:',
    enforcementHeading: 'Uzlaştırma',
    enforcement: [
      'Yanıt almadınız mı? Ya da yanıt size yardımcı olmuyor mu? O zaman bir uzlaştırma kurumuna başvurabilirsiniz. Kuzey Ren-Vestfalya’da bu, eyalet hükümetinin engelliler temsilcisi bünyesindeki Ombudsstelle für barrierefreie Informationstechnik’tir (erişilebilir bilgi teknolojisi ombudsmanlığı).',
      'Uzlaştırma ücretsizdir. Bunun için avukata ihtiyacınız yoktur.',
    ],
  },
  help: {
    title: 'Yardım',
    intro: 'Sık sorulan soruların yanıtları.',
    codeHeading: 'Kod nedir?',
    code: [
      'Bir kurum size bir mektup yazdı. Mektupta bir kod var.',
      'Kod ve doğum tarihinizle kurumun talebini burada açarsınız. Kod yalnızca bu tek talebi açar.',
      'Kod yalnızca mektupta yazan güne kadar geçerlidir. Karar verdikten sonra artık geçerli değildir.',
    ],
    withdrawalHeading: 'Geri alma kodu nedir?',
    withdrawal: [
      'Kabul ettiğinizde portal size bir geri alma kodu gösterir. Onu yalnızca siz alırsınız. Kurum onu bilmez.',
      'Portal onu yalnızca bir kez gösterir. Onu not edin ya da sayfayı yazdırın.',
      'Geri alma koduyla onayınızı daha sonra geri alabilirsiniz. Bunu kuruma da söyleyebilirsiniz.',
    ],
    birthDateHeading: 'Doğum tarihi ne için?',
    birthDate: [
      'Kurum doğum tarihinizi kaydetti. Portal bununla kodun size ait olduğunu kontrol eder.',
      '{failures} yanlış denemeden sonra kod kilitlenir. O zaman kurumdan yeni bir kod isteyin.',
    ],
    askHeading: 'Kime sorabilirim?',
    askOffice: 'Bir taleple ilgili sorular: size yazan kurum. Adresi mektupta yazıyor.',
    askDpo: 'Veri koruma ile ilgili sorular:',
    askAccessibility: 'Kullanımda sorunlar ya da engeller:',
  },
};
