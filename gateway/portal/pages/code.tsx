import type { FC } from 'hono/jsx';

/**
 * A code as people copy it from paper (`ABCD-EFGH-2345`): left to right also in Arabic and Farsi
 * pages, isolated from the text around it, and never broken at its hyphens (class `code-text`).
 */
export const CodeText: FC<{ children: string }> = ({ children }) => (
  <span class="code-text" dir="ltr" translate="no">
    {children}
  </span>
);

/** Groups of four letters or digits joined by hyphens: the shape of every code the portal shows. */
const CODE_SHAPE = /([A-Z0-9]{4}(?:-[A-Z0-9]{4}){2,})/;

/**
 * Message text with every code in it wrapped as `CodeText`, so a hint such as "It looks like
 * this: ABCD-EFGH-2345" keeps the code whole and in order in every language. The catalogues stay
 * plain text; the page finds the codes.
 */
export const WithCodes: FC<{ text: string }> = ({ text }) => (
  <>
    {text
      .split(CODE_SHAPE)
      .map((part, index) => (index % 2 === 1 ? <CodeText>{part}</CodeText> : part))}
  </>
);
