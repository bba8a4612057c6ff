import { compactVerify } from 'jose';
import { describe, expect, it } from 'vitest';
import { lastEndedMonth, monthOf, type MonitoringReport } from '../../monitoring/index.ts';
import { expectProblem, newPerson, reasonCodes, type GatewayUnderTest } from './target.ts';

/** The steering group's figures: aggregates under a signed tree head, for monitors alone. */
export function describeMonitoring(gateway: GatewayUnderTest): void {
  describe('monitoring', () => {
    it('gives a monitor the figures of an ended month under a signed tree head, never of the running one', async () => {
      const subject = newPerson();
      await gateway.grantedConsent(subject);
      expect((await gateway.send(gateway.world.abh, subject)).status).toBe(201);
      const running = monthOf(new Date().toISOString());
      const open = await expectProblem(
        await gateway.as(gateway.world.monitor, `/v1/monitoring/reports/${running}`),
        409,
        'conflict',
      );
      expect(reasonCodes(open)).toEqual(['period_open']);
      const ended = lastEndedMonth(new Date());
      const res = await gateway.as(gateway.world.monitor, `/v1/monitoring/reports/${ended}`);
      const text = await res.text();
      expect(res.status, text).toBe(200);
      const report = JSON.parse(text) as MonitoringReport;
      expect(report).toMatchObject({
        format: 'consent-gateway-monitoring/1',
        tenant: 'koeln',
        period: { kind: 'month', key: ended },
      });
      expect(report.tables.map((t) => t.id)).toContain('consents-by-office-type');
      const { payload, protectedHeader } = await compactVerify(
        report.treeHead.jws,
        await gateway.jwks(),
        { algorithms: ['ES256'] },
      );
      expect(protectedHeader.typ).toBe('tree-head+jwt');
      expect(JSON.parse(new TextDecoder().decode(payload))).toMatchObject({
        treeSize: report.treeHead.treeSize,
        rootHash: report.treeHead.rootHash,
      });
      const csv = await gateway.as(
        gateway.world.monitor,
        `/v1/monitoring/reports/${ended}?format=csv`,
      );
      expect(csv.headers.get('Content-Type')).toMatch(/^text\/csv/);
      expect((await csv.text()).split('\r\n')[0]).toMatch(/^tenant,period,table,row,/);
    });

    it('refuses offices, a period it cannot read, and a programme the tenant is not in', async () => {
      await expectProblem(
        await gateway.as(gateway.world.jc, '/v1/monitoring/periods'),
        403,
        'forbidden',
      );
      await expectProblem(
        await gateway.as(gateway.world.monitor, '/v1/audit/tree-head'),
        403,
        'forbidden',
      );
      await expectProblem(
        await gateway.as(gateway.world.monitor, '/v1/monitoring/reports/2026-13'),
        422,
        'validation_failed',
      );
      await expectProblem(
        await gateway.as(gateway.world.monitor, '/v1/monitoring/programme/2026-11'),
        404,
        'not_found',
      );
    });
  });
}
