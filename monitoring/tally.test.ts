import { describe, expect, it } from 'vitest';
import type { AuditEntry } from '../audit/index.ts';
import { isClosed, monthOf, parsePeriod, periodEnd, periodOf } from './periods.ts';
import { MonitoringTally } from './tally.ts';

/** A log written entry by entry, each an hour after the last unless a time is given. */
function log() {
  const entries: AuditEntry[] = [];
  let clock = Date.parse('2026-10-01T08:00:00Z');
  const add = (fields: Partial<AuditEntry> & Pick<AuditEntry, 'event'>, time?: string) => {
    clock = time === undefined ? clock + 3_600_000 : Date.parse(time);
    entries.push({
      seq: entries.length,
      tenant: 'koeln',
      time: new Date(clock).toISOString(),
      actor: 'x',
      outcome: 'ok',
      ...fields,
    });
  };
  return { entries, add };
}

const rowOf = (
  tally: MonitoringTally,
  month: string,
  sender: string,
  recipient: string,
  purpose: string,
) => tally.months.get(month)?.get(JSON.stringify([sender, recipient, purpose]));

describe('MonitoringTally', () => {
  it('follows a request through decision, revocation and its exchanges, by office pair and month', () => {
    const { entries, add } = log();
    add({ event: 'certificate.issued', sender: 'abh-koeln', agencyType: 'immigration_office' });
    add({ event: 'certificate.issued', sender: 'jc-koeln', agencyType: 'jobcenter' });
    add({
      event: 'consent.requested',
      actor: 'abh-koeln',
      requestId: 'r1',
      purpose: 'lmi',
      senders: ['abh-koeln'],
      recipients: ['jc-koeln'],
    });
    add({
      event: 'consent.requested',
      actor: 'abh-koeln',
      requestId: 'r2',
      purpose: 'lmi',
      senders: ['abh-koeln'],
      recipients: ['jc-koeln'],
    });
    add({
      event: 'consent.requested',
      actor: 'abh-koeln',
      requestId: 'r3',
      purpose: 'lmi',
      senders: ['abh-koeln'],
      recipients: ['jc-koeln'],
    });
    add({ event: 'consent.granted', requestId: 'r1', consentId: 'c1' }, '2026-10-03T08:00:00Z');
    add({ event: 'consent.declined', requestId: 'r2' });
    add({
      event: 'exchange.accepted',
      sender: 'abh-koeln',
      recipient: 'jc-koeln',
      purpose: 'lmi',
      exchangeId: 'e1',
    });
    add({
      event: 'exchange.refused',
      sender: 'abh-koeln',
      recipient: 'jc-koeln',
      purpose: 'lmi',
      outcome: 'refused',
      reasons: ['consent_missing'],
    });
    add({ event: 'exchange.delivered', exchangeId: 'e1' }, '2026-10-03T15:00:00Z');
    add({ event: 'exchange.delivered', exchangeId: 'e1' });
    add({ event: 'exchange.acknowledged', exchangeId: 'e1' });
    // November in Berlin, still October in UTC: counted in November.
    add({ event: 'request.expired', requestId: 'r3' }, '2026-10-31T23:30:00Z');
    add({ event: 'consent.revoked', consentId: 'c1' }, '2026-11-02T09:00:00Z');
    const tally = new MonitoringTally();
    for (const entry of entries) tally.add(entry);

    expect(tally.size).toBe(entries.length);
    expect(tally.agencyTypes.get('jc-koeln')).toBe('jobcenter');
    const october = rowOf(tally, '2026-10', 'abh-koeln', 'jc-koeln', 'lmi');
    expect(october?.consent).toEqual({
      requested: 3,
      granted: 1,
      declined: 1,
      expiredUndecided: 0,
      revoked: 0,
    });
    expect(october?.exchange).toEqual({ accepted: 1, delivered: 1, acknowledged: 1, withheld: 0 });
    expect(october?.refusals.get('consent_missing')).toBe(1);
    // r1 was requested at 10:00 on 1 October and granted two days later, 08:00.
    expect(october?.decisionMs[0]).toBe(
      Date.parse('2026-10-03T08:00:00Z') - Date.parse('2026-10-01T11:00:00Z'),
    );
    expect(october?.fetchMs).toHaveLength(1);
    const november = rowOf(tally, '2026-11', 'abh-koeln', 'jc-koeln', 'lmi');
    expect(november?.consent).toMatchObject({ expiredUndecided: 1, revoked: 1 });
  });

  it('counts a request with two recipients once for each office pair', () => {
    const { entries, add } = log();
    add({
      event: 'consent.requested',
      requestId: 'r1',
      purpose: 'cm',
      senders: ['abh'],
      recipients: ['jc', 'so'],
    });
    add({ event: 'consent.granted', requestId: 'r1', consentId: 'c1' });
    const tally = new MonitoringTally();
    for (const entry of entries) tally.add(entry);
    expect(rowOf(tally, '2026-10', 'abh', 'jc', 'cm')?.consent.granted).toBe(1);
    expect(rowOf(tally, '2026-10', 'abh', 'so', 'cm')?.consent.granted).toBe(1);
  });

  it('refuses an entry out of sequence, so figures always stand for one tree size', () => {
    const tally = new MonitoringTally();
    const { entries, add } = log();
    add({ event: 'audit.read' });
    add({ event: 'audit.read' });
    const [first, second] = entries;
    if (!first || !second) throw new Error('two entries expected');
    tally.add(first);
    expect(() => {
      tally.add({ ...second, seq: 5 });
    }).toThrow(/entry 1 next/);
  });
});

describe('periods', () => {
  it('counts months, quarters and years in Europe/Berlin', () => {
    expect(monthOf('2026-03-31T22:30:00Z')).toBe('2026-04');
    expect(monthOf('2026-12-31T22:59:59Z')).toBe('2026-12');
    expect(monthOf('2026-12-31T23:00:00Z')).toBe('2027-01');
    expect(parsePeriod('2026-Q4').months).toEqual(['2026-10', '2026-11', '2026-12']);
    expect(parsePeriod('2026').months).toHaveLength(12);
    expect(periodOf('quarter', '2026-05').key).toBe('2026-Q2');
    for (const bad of ['2026-13', '2026-Q5', '26', '2026-1', '2026-11-01'])
      expect(() => parsePeriod(bad)).toThrow(/month \(2026-11\)/);
  });

  it('ends a period at midnight in Berlin, and closes it five minutes later', () => {
    expect(periodEnd(parsePeriod('2026-11')).toISOString()).toBe('2026-11-30T23:00:00.000Z');
    expect(periodEnd(parsePeriod('2026-Q1')).toISOString()).toBe('2026-03-31T22:00:00.000Z');
    expect(periodEnd(parsePeriod('2026')).toISOString()).toBe('2026-12-31T23:00:00.000Z');
    const november = parsePeriod('2026-11');
    expect(isClosed(november, new Date('2026-11-30T23:04:59Z'))).toBe(false);
    expect(isClosed(november, new Date('2026-11-30T23:05:00Z'))).toBe(true);
  });
});
