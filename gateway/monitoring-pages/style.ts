import { portalCss } from '../portal/style.ts';

/**
 * The monitoring pages' stylesheet: the portal's, so both look alike, and what tables and charts
 * need besides. Served as a file (the CSP allows no inline style); the SVG charts take their
 * colours from classes here too. Colours: bar fills keep at least 7:1 against white, text 10:1;
 * every bar also carries its name and value as text, so no colour has to be told apart.
 */
export const monitoringCss = `${portalCss}
main.wide, header.site .bar.wide, nav.languages ul.wide, footer.site p.wide, footer.site nav.legal ul.wide { max-width: 72rem; }
.lead { max-width: 48rem; }
.toolbar { display: flex; flex-wrap: wrap; gap: 1rem 2rem; align-items: flex-end; margin: 0 0 1.5rem; }
.toolbar form { display: flex; flex-wrap: wrap; gap: 0.5rem 1rem; align-items: flex-end; margin: 0; }
.toolbar label { margin: 0; }
.toolbar select {
  font: inherit;
  max-width: 100%;
  padding: 0.4rem 0.5rem;
  border: 2px solid #0b0c0c;
  border-radius: 0;
  background: #ffffff;
  color: #0b0c0c;
}
.toolbar button.secondary { min-height: 2.75rem; }
.downloads ul { list-style: none; padding: 0; display: flex; flex-wrap: wrap; gap: 0.25rem 1.5rem; }
textarea {
  font-family: ui-monospace, "DejaVu Sans Mono", monospace;
  font-size: 0.9375rem;
  width: 100%;
  min-height: 9rem;
  padding: 0.5rem;
  border: 2px solid #0b0c0c;
  border-radius: 0;
  background: #ffffff;
  color: #0b0c0c;
  overflow-wrap: anywhere;
}
pre.command {
  white-space: pre-wrap;
  overflow-wrap: anywhere;
  background: #f3f2f1;
  color: #0b0c0c;
  padding: 0.75rem 1rem;
  border-inline-start: 0.375rem solid #505a5f;
  font-family: ui-monospace, "DejaVu Sans Mono", monospace;
  font-size: 0.9375rem;
  margin: 0 0 1rem;
}
.hash { font-family: ui-monospace, "DejaVu Sans Mono", monospace; font-size: 0.875rem; overflow-wrap: anywhere; }
.note { font-size: 1rem; color: #3d3d3d; margin: 0.25rem 0 0.25rem; max-width: 60rem; }
.notes { margin: 0 0 2rem; }
/* Positioned, so the visually hidden words of a • cell scroll with the table instead of widening
   the page from outside the region. */
.table-scroll { position: relative; overflow-x: auto; max-width: 100%; margin: 0 0 0.5rem; border: 1px solid #b1b4b6; }
table.figures { border-collapse: collapse; font-size: 1rem; min-width: 100%; }
table.figures caption { caption-side: top; text-align: start; font-weight: 700; padding: 0.5rem 0.625rem; }
table.figures th, table.figures td {
  padding: 0.375rem 0.625rem;
  border-top: 1px solid #b1b4b6;
  text-align: start;
  vertical-align: top;
}
table.figures thead th { background: #e8eef5; vertical-align: bottom; }
table.figures .num { text-align: end; font-variant-numeric: tabular-nums; white-space: nowrap; }
table.figures tr.total > * { font-weight: 700; border-top: 2px solid #0b0c0c; }
table.figures td.suppressed { color: #1b1b1b; }
/* Wide enough for a root hash in two lines; narrower, it would wrap a character a line. */
table.figures td.tree-head { min-width: 15rem; }
table.figures code, .reason-code {
  display: block;
  font-family: ui-monospace, "DejaVu Sans Mono", monospace;
  font-size: 0.8125rem;
  font-weight: 400;
  color: #3d3d3d;
  overflow-wrap: anywhere;
}
.visually-hidden {
  position: absolute !important;
  width: 1px; height: 1px; margin: -1px; padding: 0; border: 0;
  overflow: hidden; clip: rect(0 0 0 0); white-space: nowrap;
}
figure.chart { margin: 1rem 0 0.5rem; display: grid; gap: 1rem 2rem; grid-template-columns: minmax(0, 1fr); }
@media (min-width: 60em) {
  figure.chart:not(.stacked) { grid-template-columns: minmax(0, 3fr) minmax(0, 2fr); align-items: start; }
}
figure.chart figcaption { grid-column: 1 / -1; font-weight: 700; }
figure.chart svg { display: block; width: 100%; height: auto; max-width: 40rem; }
svg .bar-consent { fill: #0b4f9c; }
svg .bar-exchange { fill: #00703c; }
svg .bar-side { fill: #505a5f; }
svg .bar-refusal { fill: #8a1c2b; }
svg .axis { stroke: #505a5f; stroke-width: 1; }
svg text { fill: #1b1b1b; font-family: system-ui, "Segoe UI", "Noto Sans", "DejaVu Sans", Arial, sans-serif; }
svg .label { font-size: 15px; }
svg .value { font-size: 15px; font-weight: 700; }
svg .small { font-size: 13px; }
svg .panel-title { font-size: 15px; font-weight: 700; }
details.agencies { margin: 2rem 0; }
details.agencies > summary { font-weight: 700; font-size: 1.375rem; cursor: pointer; margin: 0 0 1rem; }
`;
