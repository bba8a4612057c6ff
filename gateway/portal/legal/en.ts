import type { LegalTexts } from './texts.ts';

/** English, translated from the German reference (`de.ts`); plain language, the German law cited. */
export const en: LegalTexts = {
  links: {
    label: 'About this portal',
    impressum: 'Legal notice',
    privacy: 'Privacy',
    accessibility: 'Accessibility',
    help: 'Help',
  },
  notSet: 'This information is still missing.',
  impressum: {
    title: 'Legal notice (Impressum)',
    intro: 'Who provides this portal (information under § 5 DDG and § 18 MStV).',
    municipality: 'Municipality',
    operator: 'Operator of the site',
    representative: 'Represented by',
    supervision: 'Data protection supervision',
    supervisionText: 'This authority checks that the municipality protects your data properly:',
    email: 'Email',
    web: 'Website',
  },
  privacy: {
    title: 'Privacy in the portal',
    intro:
      'What data this portal processes. And why, for how long, and what rights you have (Art. 13 GDPR).',
    controllerHeading: 'Who is responsible?',
    controllerText: 'Responsible for this portal (controller):',
    dpoHeading: 'Data protection officer',
    dpoText: 'How to reach the data protection officer:',
    dataHeading: 'What data does the portal process?',
    data: [
      "The code from the office's letter. You use it to open a request.",
      'Your date of birth. The portal only compares it with the date of birth the office recorded. The portal does not store what you type.',
      'Your decisions: whether you agree, decline or withdraw, and when. The portal stores them as proof. The offices must follow them.',
      'A cookie for signing in (session cookie). It only holds a random number. It tells the portal that you are signed in.',
      'A cookie for the language. It only holds the language you chose.',
      "Your device's internet address (IP address). The portal uses it to count wrong sign-ins, to protect against attacks. For this the address is kept only in the server's memory. It is not written to disk or to the log.",
    ],
    eid: 'You can also sign in with your ID card (online ID). The portal then sends you to a sign-in service. From there the portal receives your name and date of birth. It uses them to find the offices’ requests to you.',
    noTracking: [
      'No advertising, no analytics, no tracking. The portal loads nothing from other providers: no fonts, no maps, no videos.',
      'The portal itself passes your data to no one. Offices receive data only if you have given your consent.',
      'The server log holds no data about you: no IP address, no code, no date of birth. It only records which page was requested when, and whether it worked.',
    ],
    purposesHeading: 'Why, and on what legal basis?',
    purposes: [
      'So that you can give, decline, view and withdraw consent. And so that the portal protects your data against attacks.',
      'For your consent: Art. 6(1)(a) and Art. 7 GDPR. For specially protected data, for example about health, also Art. 9(2)(a) GDPR.',
      'For running the portal and keeping it secure: Art. 6(1)(e) and (3) GDPR with the data protection act of the state (in North Rhine-Westphalia § 3 DSG NRW).',
      'The portal needs both cookies to work. So it does not ask for your consent to them (§ 25(2) no. 2 TDDDG).',
    ],
    retentionHeading: 'For how long?',
    retention: [
      'Your sign-in ends after {minutes} minutes without activity. Or when you sign out. Your browser deletes the session cookie when you close it.',
      'The language cookie stays for {days} days. You can delete it in your browser.',
      'A code is valid only until the day stated in the letter. Once you have decided, it is no longer valid.',
      'Consents and the log about them are kept as proof. The log does not name you, it uses an identifier. If your data is erased, the link between you and this identifier is made unreadable.',
    ],
    rightsHeading: 'Your rights',
    rightsIntro: 'You have these rights:',
    rights: [
      'Access: you can ask what data about you is stored (Art. 15 GDPR).',
      'Rectification: wrong data is corrected (Art. 16 GDPR).',
      'Erasure: your data is deleted if there is a reason for it (Art. 17 GDPR).',
      'Restriction: your data is only kept, not used, for a while (Art. 18 GDPR).',
      'Objection: you can object to processing for running the portal (Art. 21 GDPR).',
      'Portability: you get the data you provided in a file (Art. 20 GDPR).',
      'Withdrawal: you can withdraw any consent at any time, here in the portal or at the office. What happened before stays lawful (Art. 7(3) GDPR).',
    ],
    rightsHow:
      'To use them, write to the office that wrote to you. Or to the data protection officer (contact above).',
    complaintHeading: 'Complaint',
    complaintText:
      'Do you think we handle your data wrongly? Then you can complain to the data protection supervisory authority (Art. 77 GDPR):',
  },
  accessibility: {
    title: 'Accessibility statement',
    intro:
      '{name} wants everyone to be able to use this portal well. This statement applies to the consent portal.',
    basis:
      'It is based on Directive (EU) 2016/2102 and the German regulations on accessible information technology (BITV 2.0; in North Rhine-Westphalia the BITV NRW). The measure is the standard EN 301 549 and WCAG 2.1, level AA.',
    statusHeading: 'How accessible is the portal?',
    status:
      'The portal is partly accessible. This means: it meets the requirements in part. What is still missing is listed below. The assessment is a self-assessment: automated tests and checks by the development team. There has not been an independent audit yet.',
    limitsHeading: 'What is not accessible yet?',
    limits: [
      'The receipt you can download is a signed file for checking programs. It is hard for people to read. Read the receipt on its page in the portal. You can also print that page.',
      'There is no information in German Sign Language yet.',
      'Names and addresses of the offices are only in German.',
    ],
    dateHeading: 'Date',
    date: 'This statement is dated {date}.',
    feedbackHeading: 'Report a barrier',
    feedbackText:
      'Have you found a barrier? Or do you need content in another form? Then contact us here:',
    enforcementHeading: 'Conciliation',
    enforcement: [
      'You did not get an answer? Or the answer does not help you? Then you can turn to a conciliation body. In North Rhine-Westphalia this is the Ombudsstelle für barrierefreie Informationstechnik (ombudsman for accessible information technology) at the state government’s commissioner for people with disabilities.',
      'Conciliation is free of charge. You do not need a lawyer.',
    ],
  },
  help: {
    title: 'Help',
    intro: 'Answers to common questions.',
    codeHeading: 'What is a code?',
    code: [
      'An office has sent you a letter. The letter contains a code.',
      "With the code and your date of birth you open the office's request here. The code opens only this one request.",
      'The code is valid only until the day stated in the letter. Once you have decided, it is no longer valid.',
    ],
    withdrawalHeading: 'What is a withdrawal code?',
    withdrawal: [
      'When you agree, the portal shows you a withdrawal code. Only you get it. The office does not know it.',
      'The portal shows it only once. Write it down or print the page.',
      'With the withdrawal code you can withdraw your consent later. You can also tell the office.',
    ],
    birthDateHeading: 'What is the date of birth for?',
    birthDate: [
      'The office recorded your date of birth. The portal uses it to check that the code belongs to you.',
      'After {failures} wrong tries the code is locked. Then ask the office for a new code.',
    ],
    askHeading: 'Whom can I ask?',
    askOffice:
      'Questions about a request: the office that wrote to you. Its address is in the letter.',
    askDpo: 'Questions about data protection:',
    askAccessibility: 'Problems using the portal, or barriers:',
  },
};
