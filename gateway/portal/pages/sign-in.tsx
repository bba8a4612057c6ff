import type { FC } from 'hono/jsx';
import { CsrfField, Layout, Message, type PageFrame } from '../layout.tsx';

export interface SignInView {
  /** The code from the link in the person's letter, so they need not type it. */
  readonly code: string;
  readonly csrf: string;
  readonly message?: { readonly kind: 'info' | 'error'; readonly text: string } | undefined;
}

/** Sign-in with the one-time code and the birth date the office recorded. */
export const SignInPage: FC<{ frame: PageFrame; view: SignInView }> = ({ frame, view }) => {
  const { tr } = frame;
  return (
    <Layout {...frame}>
      <h1>{tr.t('signIn.title')}</h1>
      {view.message === undefined ? null : (
        <Message kind={view.message.kind}>{view.message.text}</Message>
      )}
      <p class="lead">{tr.t('signIn.intro')}</p>
      <form method="post" action="/portal/sign-in" novalidate={false}>
        <CsrfField token={view.csrf} />
        <label for="code">{tr.t('signIn.code')}</label>
        <p class="hint" id="code-hint">
          {tr.t('signIn.codeHint')}
        </p>
        <input
          class="code"
          type="text"
          id="code"
          name="code"
          value={view.code}
          required
          maxlength={32}
          autocomplete="one-time-code"
          autocapitalize="characters"
          spellcheck={false}
          dir="ltr"
          aria-describedby="code-hint"
        />
        <label for="secondFactor">{tr.t('signIn.secondFactor')}</label>
        <p class="hint" id="second-factor-hint">
          {tr.t('signIn.secondFactorHint')}
        </p>
        <input
          type="date"
          id="secondFactor"
          name="secondFactor"
          required
          min="1900-01-01"
          autocomplete="bday"
          aria-describedby="second-factor-hint"
        />
        <div class="actions">
          <button class="primary" type="submit">
            {tr.t('signIn.submit')}
          </button>
        </div>
      </form>
      <p class="hint">{tr.t('signIn.privacy')}</p>
    </Layout>
  );
};
