import type { FC } from 'hono/jsx';
import type { PageFrame } from '../layout.tsx';

/** One problem with a form: what to fix, and the id of the field to fix it in. */
export interface FormProblem {
  readonly field: string;
  readonly text: string;
}

/**
 * The list of problems above the form's heading, each a link to its field (GOV.UK error
 * summary). `role="alert"` has screen readers announce it when the page comes back, since
 * without script nothing can move the focus there.
 */
export const ErrorSummary: FC<{ tr: PageFrame['tr']; problems: readonly FormProblem[] }> = ({
  tr,
  problems,
}) =>
  problems.length === 0 ? null : (
    <div class="error-summary" role="alert" aria-labelledby="error-summary-title" tabindex={-1}>
      <h2 id="error-summary-title">{tr.t('form.errorTitle')}</h2>
      <ul>
        {problems.map((problem) => (
          <li>
            <a href={`#${problem.field}`}>{problem.text}</a>
          </li>
        ))}
      </ul>
    </div>
  );

/** The problem beside its field, read out with it (`aria-describedby` the `id`). */
export const FieldError: FC<{ tr: PageFrame['tr']; id: string; text: string | undefined }> = ({
  tr,
  id,
  text,
}) =>
  text === undefined ? null : (
    <p class="field-error" id={id}>
      <span class="visually-hidden">{tr.t('form.errorPrefix')}: </span>
      {text}
    </p>
  );

/** The page title with "Error: " in front while the form has problems, as a screen reader hears first. */
export const titleWithProblems = (
  tr: PageFrame['tr'],
  title: string,
  problems: readonly FormProblem[],
): string => (problems.length === 0 ? title : `${tr.t('form.errorPrefix')}: ${title}`);
