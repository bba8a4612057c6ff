import type { FC } from 'hono/jsx';
import type { Count } from '../../monitoring/index.ts';
import { reasonCount, type ChainStep, type RefusalMonth, type RefusalSeries } from './figures.ts';
import { SUPPRESSED, type PageText } from './i18n.ts';
import { measureName, reasonName } from './labels.ts';

/*
 * Charts as inline SVG: drawn on the server, no script, no font or image from elsewhere. Each has
 * a title for assistive technology and its data table beside it in the same figure; every bar
 * carries its name and value as text, and a suppressed value is drawn as `•` with no bar, so its
 * size cannot be read off the picture either.
 */

/** Narrower than the refusal panels: its labels stay readable when a phone scales it down. */
const CHAIN_WIDTH = 440;
const WIDTH = 560;
const VALUE_ROOM = 110;

const EXCHANGE_MEASURES = new Set(['accepted', 'delivered', 'acknowledged', 'withheld']);

/** The largest published value, at least 1, so a chart of zeros draws no bar of NaN width. */
const scaleOf = (values: readonly Count[]) =>
  Math.max(1, ...values.filter((v): v is number => v !== null));

/** The words a bar shows for its value: the count, or `• suppressed`. */
const shownValue = (text: PageText, value: Count) =>
  value === null ? `${SUPPRESSED} ${text.t('value.withheld')}` : text.count(value);

/** Horizontal bars, one per step of the chain; steps beside the main line are indented. */
export const ChainChart: FC<{
  text: PageText;
  steps: readonly ChainStep[];
  id: string;
  period: string;
}> = ({ text, steps, id, period }) => {
  const row = 50;
  const max = scaleOf(steps.map((s) => s.value));
  const height = steps.length * row + 8;
  return (
    <svg
      viewBox={`0 0 ${CHAIN_WIDTH} ${height}`}
      role="img"
      aria-labelledby={`${id}-title`}
      focusable="false"
    >
      <title id={`${id}-title`}>{text.t('chain.chart', { period })}</title>
      {steps.map((step, i) => {
        const indent = step.main ? 0 : 28;
        const y = i * row + 4;
        const room = CHAIN_WIDTH - indent - VALUE_ROOM;
        const width = step.value === null ? 0 : (step.value / max) * room;
        const kind = !step.main
          ? 'bar-side'
          : EXCHANGE_MEASURES.has(step.measure)
            ? 'bar-exchange'
            : 'bar-consent';
        return (
          <g>
            <text x={indent} y={y + 15} class="label">
              {step.main ? '' : '↳ '}
              {measureName(step.measure, text.language)}
            </text>
            {width > 0 ? (
              <rect x={indent} y={y + 22} width={width.toFixed(1)} height={20} class={kind} />
            ) : null}
            <text x={(indent + width + 6).toFixed(1)} y={y + 37} class="value">
              {shownValue(text, step.value)}
            </text>
          </g>
        );
      })}
    </svg>
  );
};

/** How many reasons get a panel of their own; all of them are in the table. */
export const REASON_PANELS = 5;

/**
 * Small multiples: one column chart per reason (all refusals first), months along the bottom,
 * each panel on its own scale with every value written above its column. Panels instead of one
 * stacked chart, so no reason has to be told apart by colour.
 */
export const RefusalChart: FC<{ text: PageText; series: RefusalSeries; id: string }> = ({
  text,
  series,
  id,
}) => {
  const panels: { title: string; code?: string; values: Count[] }[] = [
    { title: measureName('total', text.language), values: series.months.map((m) => m.total) },
    ...series.reasons.slice(0, REASON_PANELS).map((reason) => ({
      title: reasonName(reason, text.language) ?? reason,
      code: reason,
      values: series.months.map((m) => reasonCount(m, reason)),
    })),
  ];
  const panelHeight = 170;
  const first = series.months[0]?.month ?? '';
  const last = series.months.at(-1)?.month ?? '';
  return (
    <svg
      viewBox={`0 0 ${WIDTH} ${panels.length * panelHeight}`}
      role="img"
      aria-labelledby={`${id}-title`}
      focusable="false"
    >
      <title id={`${id}-title`}>
        {text.t('refusals.chart', {
          from: text.period({ kind: 'month', key: first }),
          to: text.period({ kind: 'month', key: last }),
        })}
      </title>
      {panels.map((panel, i) => (
        <Panel
          text={text}
          title={panel.title}
          code={panel.code}
          values={panel.values}
          months={series.months}
          top={i * panelHeight}
        />
      ))}
    </svg>
  );
};

const Panel: FC<{
  text: PageText;
  title: string;
  /** The reason's code, on a line of its own under its name (SVG text does not wrap). */
  code?: string | undefined;
  values: readonly Count[];
  months: readonly RefusalMonth[];
  top: number;
}> = ({ text, title, code, values, months, top }) => {
  const slot = (WIDTH - 8) / Math.max(1, months.length);
  const barWidth = Math.min(28, slot * 0.6);
  const base = top + 126;
  const max = scaleOf(values);
  return (
    <g>
      <text x={0} y={top + 18} class="panel-title">
        {title}
      </text>
      {code === undefined || code === title ? null : (
        <text x={0} y={top + 36} class="small">
          {code}
        </text>
      )}
      <line x1={0} x2={WIDTH} y1={base} y2={base} class="axis" />
      {months.map(({ month }, i) => {
        const raw = values[i];
        const value = raw === undefined ? 0 : raw;
        const height = value === null ? 0 : (value / max) * 62;
        const centre = 4 + slot * i + slot / 2;
        const newYear = i === 0 || month.endsWith('-01');
        return (
          <g>
            {height > 0 ? (
              <rect
                x={(centre - barWidth / 2).toFixed(1)}
                y={(base - height).toFixed(1)}
                width={barWidth.toFixed(1)}
                height={height.toFixed(1)}
                class="bar-refusal"
              />
            ) : null}
            <text
              x={centre.toFixed(1)}
              y={(base - height - 5).toFixed(1)}
              class="small"
              text-anchor="middle"
            >
              {value === null ? SUPPRESSED : text.count(value)}
            </text>
            <text x={centre.toFixed(1)} y={base + 17} class="small" text-anchor="middle">
              {text.shortMonth(month)}
            </text>
            {newYear ? (
              <text x={centre.toFixed(1)} y={base + 33} class="small" text-anchor="middle">
                {month.slice(0, 4)}
              </text>
            ) : null}
          </g>
        );
      })}
    </g>
  );
};
