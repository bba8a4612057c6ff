import type { Page } from 'playwright-core';

/** Types a birth date (`YYYY-MM-DD`) into the sign-in form's day, month and year, as a person does. */
export async function typeBirthDate(page: Page, iso: string): Promise<void> {
  const [year = '', month = '', day = ''] = iso.split('-');
  await page.locator('#birthDay').fill(String(Number(day)));
  await page.locator('#birthMonth').fill(String(Number(month)));
  await page.locator('#birthYear').fill(year);
}
