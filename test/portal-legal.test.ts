import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { LANGUAGES, isRightToLeft } from '../policies/index.ts';
import { LEGAL_PATHS, LEGAL_TEXTS } from '../gateway/portal/legal/index.ts';
import { updateTenantProfile } from '../tenants/index.ts';
import type { TestGateway } from './support/app.ts';
import { formBrowser } from './support/form-browser.ts';
import { AUD, koelnWorld, type KoelnWorld } from './support/world.ts';

/**
 * The portal's official pages (Impressum, privacy, accessibility, help) from the tenant's profile
 * on real SQLite, in every language, and the header and footer every portal page carries.
 */
let world: KoelnWorld;
let gw: TestGateway;

const PROFILE = {
  name: 'Stadt Köln',
  address: ['Willy-Brandt-Platz 2', '50679 Köln'],
  dpoContact: ['Behördliche Datenschutzbeauftragte', 'datenschutz@koeln.example'],
  accessibilityContact: ['barrierefrei@koeln.example', '+49 221 0000-1'],
  operator: ['Stadt Köln, Amt für Informationsverarbeitung', 'Willy-Brandt-Platz 2, 50679 Köln'],
  representative: ['Die Oberbürgermeisterin'],
};

beforeEach(async () => {
  world = await koelnWorld({ agencies: ['jc'], dpo: false });
  gw = world.gw;
});
afterEach(() => {
  world.close();
});

const setProfile = () => updateTenantProfile(gw.storage.tenants, 'koeln', PROFILE);

/** The text of a page as a person reads it: tags gone, entities decoded, spaces collapsed. */
const textOf = (html: string) =>
  html
    .replace(/<br\s*\/?>/g, '\n')
    .replace(/<[^>]+>/g, ' ')
    .replace(/&amp;/g, '&')
    .replace(/&#39;/g, "'")
    .replace(/&quot;/g, '"')
    .replace(/[ \t]+/g, ' ');

async function page(path: string) {
  const res = await formBrowser(gw.app, AUD).get(path);
  expect(res.status, path).toBe(200);
  return res.text();
}

function expectFrame(html: string, language: string, path: string) {
  expect(html).toContain(
    `<html lang="${language}" dir="${isRightToLeft(language as 'ar') ? 'rtl' : 'ltr'}">`,
  );
  expect(html).toMatch(/<a class="brand" href="\/portal">.*Stadt Köln.*<\/a>/s);
  expect(html).toContain('<link rel="icon" href="/portal/assets/favicon.svg" type="image/svg+xml"');
  const texts = LEGAL_TEXTS[language as 'de'];
  const footer = /<footer class="site">(.*)<\/footer>/s.exec(html)?.[1] ?? '';
  expect(footer).toContain(`<nav class="legal" aria-label="${texts.links.label}">`);
  for (const [page, href] of Object.entries(LEGAL_PATHS)) {
    expect(footer, `${path}: footer link ${page}`).toContain(`href="${href}"`);
    expect(footer).toContain(texts.links[page as keyof typeof LEGAL_PATHS]);
  }
}

describe('the official pages', () => {
  for (const language of LANGUAGES.filter((l) => l in LEGAL_TEXTS)) {
    it(`shows the profile on each page in ${language}, with its language and direction`, async () => {
      await setProfile();
      const texts = LEGAL_TEXTS[language];
      const pages = {
        impressum: [texts.impressum.title, PROFILE.operator[0], PROFILE.representative[0]],
        privacy: [texts.privacy.title, PROFILE.dpoContact[1], 'poststelle@ldi.nrw.de'],
        accessibility: [texts.accessibility.title, PROFILE.accessibilityContact[0]],
        help: [texts.help.title, PROFILE.dpoContact[0], PROFILE.accessibilityContact[1]],
      } as const;
      for (const [name, expected] of Object.entries(pages)) {
        const path = `${LEGAL_PATHS[name as keyof typeof pages]}?lang=${language}`;
        const html = await page(path);
        expectFrame(html, language, path);
        const text = textOf(html);
        for (const value of expected) expect(text, `${path}: ${value}`).toContain(value);
        expect(html, path).toMatch(/aria-current="page"/);
      }
    });
  }

  it('names the address, authority and figures the code runs on', async () => {
    await setProfile();
    const impressum = textOf(await page('/portal/impressum?lang=de'));
    expect(impressum).toContain('Willy-Brandt-Platz 2\n50679 Köln');
    expect(impressum).toContain('Landesbeauftragte für Datenschutz und Informationsfreiheit');
    expect(impressum).toContain('https://www.ldi.nrw.de');
    const privacy = textOf(await page('/portal/privacy?lang=de'));
    expect(privacy).toContain('nach 30 Minuten ohne Aktivität');
    expect(privacy).toContain('bleibt 365 Tage');
    expect(privacy).not.toContain('Ausweis anmelden');
    expect(textOf(await page('/portal/help?lang=en'))).toContain('After 5 wrong tries');
    expect(textOf(await page('/portal/accessibility?lang=de'))).toContain('5. Dezember 2026');
  });

  it('links to no site outside the portal', async () => {
    await setProfile();
    for (const path of Object.values(LEGAL_PATHS)) {
      const hrefs = [...(await page(path)).matchAll(/href="([^"]*)"/g)].map((m) => m[1] ?? '');
      expect(
        hrefs.filter((href) => !href.startsWith('/') && href !== '#main'),
        path,
      ).toEqual([]);
    }
  });

  it('says which field is not set yet, and still serves the page', async () => {
    const html = await page('/portal/impressum');
    expect(html).toContain(LEGAL_TEXTS.de.notSet);
    expect(html).toContain('Stadt koeln');
  });
});

describe('every portal page', () => {
  it('names the municipality in the header and links the official pages in the footer', async () => {
    await setProfile();
    for (const path of ['/portal/sign-in', '/portal/sign-in?lang=fa', '/portal/withdraw?lang=uk']) {
      const html = await page(path);
      expectFrame(html, /lang=(\w+)/.exec(path)?.[1] ?? 'de', path);
    }
    // A refusal is a page too: a form posted without its CSRF token.
    const refused = await formBrowser(gw.app, AUD).post('/portal/withdraw?lang=ar', {});
    expect(refused.status).toBe(403);
    expectFrame(await refused.text(), 'ar', 'a refusal page');
  });
});

describe('the texts', () => {
  const shape = (value: unknown): unknown =>
    typeof value === 'string'
      ? [...value.matchAll(/\{(\w+)\}/g)].map((m) => m[1]).sort()
      : Array.isArray(value)
        ? value.map(shape)
        : Object.fromEntries(
            Object.entries(value as object).map(([key, inner]) => [key, shape(inner)]),
          );

  it('has in every language the lists and placeholders of the German reference', () => {
    for (const [language, texts] of Object.entries(LEGAL_TEXTS)) {
      expect(shape(texts), language).toEqual(shape(LEGAL_TEXTS.de));
    }
  });
});
