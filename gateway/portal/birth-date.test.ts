import { describe, expect, it } from 'vitest';
import { birthDateOf, todayInBerlin } from './birth-date.ts';

const TODAY = '2027-01-15';
const date = (day: string, month: string, year: string) => birthDateOf({ day, month, year }, TODAY);

describe('birthDateOf', () => {
  it('combines day, month and year into the ISO date, with one-digit parts and spaces', () => {
    expect(date('31', '01', '1990')).toEqual({ ok: true, iso: '1990-01-31' });
    expect(date(' 7 ', '3', ' 1990')).toEqual({ ok: true, iso: '1990-03-07' });
    expect(date('07', '03', '1990')).toEqual({ ok: true, iso: '1990-03-07' });
  });

  it('ignores leading zeros in the day and month', () => {
    expect(date('007', '03', '1990')).toEqual({ ok: true, iso: '1990-03-07' });
    expect(date('0031', '0012', '1990')).toEqual({ ok: true, iso: '1990-12-31' });
    expect(date('000', '3', '1990')).toMatchObject({ problem: { key: 'signIn.dayInvalid' } });
    expect(date('7', '00', '1990')).toMatchObject({ problem: { key: 'signIn.monthInvalid' } });
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
    ['1', '3', '0000', 'signIn.yearInvalid', 'birthYear'],
    ['1', '3', '0990', 'signIn.yearInvalid', 'birthYear'],
    ['31', '12', '1899', 'signIn.yearInvalid', 'birthYear'],
    ['29', '2', '2023', 'signIn.dateNotReal', 'birthDay'],
    ['31', '4', '1990', 'signIn.dateNotReal', 'birthDay'],
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
    expect(date('29', '2', '2024')).toEqual({ ok: true, iso: '2024-02-29' });
    expect(date('15', '1', '2027')).toEqual({ ok: true, iso: '2027-01-15' });
    expect(date('1', '1', '1900')).toEqual({ ok: true, iso: '1900-01-01' });
  });

  it('takes a person born today in Berlin while UTC is still on the day before', () => {
    const today = todayInBerlin(new Date('2026-12-05T23:30:00Z'));
    expect(birthDateOf({ day: '6', month: '12', year: '2026' }, today)).toEqual({
      ok: true,
      iso: '2026-12-06',
    });
    expect(birthDateOf({ day: '7', month: '12', year: '2026' }, today)).toMatchObject({
      problem: { key: 'signIn.dateFuture' },
    });
  });
});

describe('todayInBerlin', () => {
  it.each([
    ['2026-12-05T22:59:59Z', '2026-12-05'],
    ['2026-12-05T23:00:00Z', '2026-12-06'],
    ['2026-06-30T21:59:59Z', '2026-06-30'],
    ['2026-06-30T22:00:00Z', '2026-07-01'],
    ['2026-12-31T23:30:00Z', '2027-01-01'],
  ])('names the Berlin calendar date of %s as %s', (moment, day) => {
    expect(todayInBerlin(new Date(moment))).toBe(day);
  });
});
