/** pino's browser build, which bundlers for workerd pick; it ships no types of its own. */
declare module 'pino/browser.js' {
  const pino: unknown;
  export default pino;
}
