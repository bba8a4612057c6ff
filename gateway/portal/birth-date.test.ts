import { describe, expect, it } from 'vitest';
import { birthDateOf } from './birth-date.ts';

const TODAY = '2027-01-15';
const date = (day: string, month: string, year: string) => birthDateOf({ day, month, year }, TODAY);

describe('birthDateOf', () => {
  it('combines day, month and year into the ISO date, with one-digit parts and spaces', () => {
    expect(date('31', '01', '1990')).toEqual({ ok: true, iso: '1990-01-31' });
    expect(date(' 7 ', '3', ' 1990')).toEqual({ ok: true, iso: '1990-03-07' });
    expect(date('07', '03', '1990')).toEqual({ ok: true, iso: '1990-03-07' });
  });

  it('reads the digits an Arabic or Persian number pad types', () => {
    expect(date('٢٧', '٣', '١٩٩٠')).toEqual({ ok: true, iso: '1990-03-27' });
    expect(date('۲۷', '۳', '۱۹۹۰')).toEqual({ ok: true, iso: '1990-03-27' });
  });

  it('asks for the date when all three fields are empty', () => {
    expect(date('', ' ', '')).toEqual({
      ok: false,
      problem: { key: 'signIn.dateMissing', fields: ['birthDay'] },
    });
  });

  it('names the first missing part and marks every missing field', () => {
    expect(date('', '3', '')).toEqual({
      ok: false,
      problem: { key: 'signIn.dayMissing', fields: ['birthDay', 'birthYear'] },
    });
    expect(date('1', '3', '')).toMatchObject({ problem: { key: 'signIn.yearMissing' } });
  });

  it.each([
    ['0', '3', '1990', 'signIn.dayInvalid', 'birthDay'],
    ['32', '3', '1990', 'signIn.dayInvalid', 'birthDay'],
    ['1a', '3', '1990', 'signIn.dayInvalid', 'birthDay'],
    ['1', '13', '1990', 'signIn.monthInvalid', 'birthMonth'],
    ['1', '0', '1990', 'signIn.monthInvalid', 'birthMonth'],
    ['1', 'März', '1990', 'signIn.monthInvalid', 'birthMonth'],
    ['1', '3', '90', 'signIn.yearInvalid', 'birthYear'],
    ['1', '3', '19900', 'signIn.yearInvalid', 'birthYear'],
    ['31', '2', '1990', 'signIn.dateNotReal', 'birthDay'],
    ['29', '2', '1991', 'signIn.dateNotReal', 'birthDay'],
    ['16', '1', '2027', 'signIn.dateFuture', 'birthDay'],
  ])('refuses %s.%s.%s as %s, linked to %s', (day, month, year, key, field) => {
    const result = date(day, month, year);
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.problem.key).toBe(key);
    expect(result.problem.fields[0]).toBe(field);
  });

  it('takes a leap day and today', () => {
    expect(date('29', '2', '1992')).toEqual({ ok: true, iso: '1992-02-29' });
    expect(date('15', '1', '2027')).toEqual({ ok: true, iso: '2027-01-15' });
  });
});
