/**
 * The portal's one stylesheet, served from `/portal/assets/portal.css` (the CSP allows no inline
 * style). Logical properties (`margin-inline-start`, `text-align: start`) mirror the layout for
 * Arabic and Farsi by `dir="rtl"` alone. Sizes are in `rem` and the layout is one column that
 * reflows down to 320 px and at 400 % zoom without horizontal scrolling (WCAG 1.4.10). Colours
 * keep at least 7:1 for text and 3:1 for borders and focus rings (WCAG 1.4.3, 1.4.11).
 */
export const portalCss = `
*, *::before, *::after { box-sizing: border-box; }
html { font-size: 100%; -webkit-text-size-adjust: 100%; text-size-adjust: 100%; }
body {
  margin: 0;
  font-family: system-ui, "Segoe UI", "Noto Sans", "DejaVu Sans", Arial, sans-serif;
  font-size: 1.125rem;
  line-height: 1.6;
  color: #1b1b1b;
  background: #ffffff;
  overflow-wrap: break-word;
}
a { color: #0b4f9c; text-decoration-thickness: 0.08em; text-underline-offset: 0.15em; }
a:visited { color: #5a2d91; }
a:hover { color: #062f5e; text-decoration-thickness: 0.15em; }
:focus-visible {
  outline: 3px solid #0b0c0c;
  outline-offset: 2px;
  box-shadow: 0 0 0 6px #ffdd00;
}
.skip {
  position: absolute;
  inset-inline-start: 0.5rem;
  inset-block-start: -10rem;
  padding: 0.5rem 1rem;
  background: #ffdd00;
  color: #0b0c0c;
  z-index: 10;
}
.skip:focus { inset-block-start: 0.5rem; }
header.site { background: #0b3a6e; color: #ffffff; }
header.site .bar {
  max-width: 48rem;
  margin: 0 auto;
  padding: 0.75rem 1rem;
  display: flex;
  flex-wrap: wrap;
  gap: 0.5rem 1.5rem;
  align-items: center;
  justify-content: space-between;
}
header.site a, header.site a:visited { color: #ffffff; }
.brand { font-weight: 700; font-size: 1.25rem; text-decoration: none; }
.brand .municipality { display: block; font-size: 1rem; font-weight: 400; }
nav ul { list-style: none; margin: 0; padding: 0; display: flex; flex-wrap: wrap; gap: 0.25rem 1rem; }
nav.languages { background: #e8eef5; }
nav.languages ul { max-width: 48rem; margin: 0 auto; padding: 0.5rem 1rem; }
nav.languages a { color: #0b3a6e; }
nav.languages a[aria-current="true"] { font-weight: 700; text-decoration: none; }
nav.main form { display: inline; margin: 0; }
nav.main button {
  font: inherit;
  color: #ffffff;
  background: none;
  border: 0;
  padding: 0;
  text-decoration: underline;
  cursor: pointer;
}
main { display: block; max-width: 48rem; margin: 0 auto; padding: 1.5rem 1rem 3rem; }
main:focus { outline: none; box-shadow: none; }
h1 { font-size: 1.875rem; line-height: 1.25; margin: 0 0 1rem; }
h2 { font-size: 1.375rem; line-height: 1.3; margin: 2rem 0 0.75rem; }
h3 { font-size: 1.125rem; margin: 1.5rem 0 0.5rem; }
p, ul, ol, dl { margin: 0 0 1rem; }
.lead { font-size: 1.25rem; }
.hint { color: #3d3d3d; font-size: 1rem; margin: 0.25rem 0 0.5rem; }
.message {
  border-inline-start: 0.5rem solid #0b4f9c;
  background: #eef4fb;
  padding: 0.75rem 1rem;
  margin: 0 0 1.5rem;
}
.message.success { border-color: #00703c; background: #edf7f1; }
.message.error { border-color: #b10e1e; background: #fcefef; }
.message > :last-child { margin-bottom: 0; }
dl.facts { display: grid; grid-template-columns: minmax(0, 1fr); gap: 0; }
dl.facts dt { font-weight: 700; margin-top: 0.75rem; }
dl.facts dd { margin: 0; }
@media (min-width: 40em) {
  dl.facts { grid-template-columns: minmax(0, 14rem) minmax(0, 1fr); gap: 0.5rem 1rem; }
  dl.facts dt { margin-top: 0; }
}
.categories { padding-inline-start: 1.25rem; }
.categories li { margin-bottom: 0.5rem; }
.notice { border: 2px solid #505a5f; padding: 0.5rem 1.25rem 1rem; margin: 1rem 0 2rem; }
.notice h3 { margin-top: 1rem; }
.notice p { white-space: pre-line; }
label { display: block; font-weight: 700; margin: 1rem 0 0.25rem; }
input[type="text"], input[type="date"] {
  font: inherit;
  width: 100%;
  max-width: 20rem;
  padding: 0.5rem;
  border: 2px solid #0b0c0c;
  border-radius: 0;
  background: #ffffff;
  color: #0b0c0c;
}
input.code { letter-spacing: 0.1em; text-transform: uppercase; }
/* The birth date's three fields side by side, sized to what they hold (GOV.UK date input). */
.date-input { display: flex; flex-wrap: wrap; gap: 0 1.25rem; margin-top: 0.5rem; }
.date-part label { margin-top: 0.25rem; font-weight: 400; }
input[type="text"].w2 { width: 3.5em; }
input[type="text"].w4 { width: 5.5em; }
/* A form's problems: the summary above the heading and the line above each field. */
.error-summary { border: 0.3125rem solid #b10e1e; padding: 0.75rem 1rem; margin: 0 0 1.5rem; }
.error-summary h2 { margin: 0 0 0.5rem; font-size: 1.25rem; }
.error-summary ul { list-style: none; padding: 0; margin: 0; }
.error-summary a, .error-summary a:visited { color: #b10e1e; font-weight: 700; }
.field.invalid { border-inline-start: 0.3125rem solid #b10e1e; padding-inline-start: 0.75rem; }
.field-error { color: #b10e1e; font-weight: 700; margin: 0.25rem 0 0.5rem; }
input.invalid, input[aria-invalid="true"] { border-color: #b10e1e; border-width: 3px; }
.visually-hidden {
  position: absolute !important; width: 1px; height: 1px; margin: 0; padding: 0; overflow: hidden;
  clip: rect(0 0 0 0); clip-path: inset(50%); border: 0; white-space: nowrap;
}
.check { display: flex; gap: 0.75rem; align-items: flex-start; margin: 1rem 0; }
.check input { width: 1.75rem; height: 1.75rem; flex: none; margin: 0.1rem 0 0; accent-color: #0b4f9c; }
.check label { margin: 0; font-weight: 400; }
.actions { display: flex; flex-wrap: wrap; gap: 1rem; align-items: center; margin: 1.5rem 0; }
button.primary, button.secondary, button.danger, a.button {
  font: inherit;
  font-weight: 700;
  display: inline-block;
  min-height: 2.75rem;
  padding: 0.5rem 1.25rem;
  border: 2px solid transparent;
  border-radius: 0.25rem;
  cursor: pointer;
  text-align: center;
}
button.primary { background: #00703c; color: #ffffff; box-shadow: 0 2px 0 #002d18; }
button.secondary { background: #f3f2f1; color: #0b0c0c; border-color: #505a5f; }
button.danger { background: #b10e1e; color: #ffffff; box-shadow: 0 2px 0 #55070e; }
button:hover { filter: brightness(0.92); }
fieldset { border: 0; padding: 0; margin: 0; min-width: 0; }
legend { font-weight: 700; font-size: 1.125rem; padding: 0; }
article.consent { border: 2px solid #b1b4b6; padding: 0 1rem 1rem; margin: 0 0 1.5rem; }
article.consent h2 { margin-top: 1rem; }
.state { font-weight: 700; }
.state.active { color: #00703c; }
.state.revoked, .state.expired { color: #3d3d3d; }
ol.history { list-style: none; padding: 0; }
ol.history > li { border-inline-start: 0.375rem solid #0b4f9c; padding: 0.25rem 1rem; margin: 0 0 1.25rem; }
ol.history h2 { font-size: 1.125rem; margin: 0 0 0.25rem; }
/* The withdrawal code: large, one piece (never broken across lines, also right to left), framed
   so it is found again on the printout. */
.withdrawal-code { border: 3px solid #0b3d6b; padding: 0.5rem 1rem; margin-block: 1rem; }
p.code, dd.code, .code-text { font-family: ui-monospace, "DejaVu Sans Mono", monospace;
  letter-spacing: 0.05em; white-space: nowrap; word-break: keep-all; overflow-wrap: normal;
  unicode-bidi: isolate; direction: ltr; }
/* Shrinks on a narrow screen so the 24 characters of a withdrawal code fit in 320 px. */
p.code { font-size: clamp(1rem, 5.5vw, 1.375rem); }
dd.code { font-size: 1rem; }
.code-text { font-size: 0.95em; }
.mono { font-family: ui-monospace, "DejaVu Sans Mono", monospace; font-size: 0.9375rem; overflow-wrap: anywhere; }
footer.site { border-top: 1px solid #b1b4b6; }
footer.site p { max-width: 48rem; margin: 0 auto; padding: 1rem; font-size: 1rem; color: #3d3d3d; }
footer.site nav.legal ul { max-width: 48rem; margin: 0 auto; padding: 1rem 1rem 0; }
footer.site nav.legal a { color: #0b3a6e; }
footer.site nav.legal a[aria-current="page"] { font-weight: 700; text-decoration: none; }
@media print {
  header.site, nav, .actions, footer.site, .no-print, .skip { display: none !important; }
  body { font-size: 11pt; color: #000000; }
  main { max-width: none; padding: 0; }
  a { color: #000000; text-decoration: none; }
  .notice, article.consent { border-color: #000000; break-inside: avoid; }
}
`;
