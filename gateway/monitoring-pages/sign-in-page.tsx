import type { FC } from 'hono/jsx';
import { MonitoringLayout, Notice, hrefIn, type MonitoringFrame } from './layout.tsx';

export interface SignInMessage {
  readonly kind: 'info' | 'error';
  readonly text: string;
  /** The gateway's own reason (English, as the API gives it), for the member's IT support. */
  readonly technical?: string | undefined;
}

/**
 * Sign-in with a client assertion: a browser cannot sign one, so the member makes it with the CLI
 * and pastes it. The command shown names this gateway's URL as the audience.
 */
export const SignInPage: FC<{
  frame: MonitoringFrame;
  csrf: string;
  audience: string;
  message?: SignInMessage | undefined;
}> = ({ frame, csrf, audience, message }) => {
  const { text } = frame;
  return (
    <MonitoringLayout {...frame}>
      <h1>{text.t('signIn.title')}</h1>
      {message === undefined ? null : (
        <Notice kind={message.kind}>
          {message.text}
          {message.technical === undefined ? null : (
            <>
              {' '}
              ({text.t('signIn.technical')}: <span lang="en">{message.technical}</span>)
            </>
          )}
        </Notice>
      )}
      <p class="lead">{text.t('signIn.intro')}</p>
      <ol>
        <li>
          <p>{text.t('signIn.step1')}</p>
          <pre class="command">
            <code>{`npx consent-gateway token --key lenkung.key --cert lenkung.crt --aud ${audience}`}</code>
          </pre>
        </li>
        <li>
          <p>{text.t('signIn.step2')}</p>
        </li>
      </ol>
      <form method="post" action="/monitoring/sign-in">
        <input type="hidden" name="csrf" value={csrf} />
        <input type="hidden" name="lang" value={text.language} />
        <label for="assertion">{text.t('signIn.token')}</label>
        <p class="hint" id="assertion-hint">
          {text.t('signIn.tokenHint')}
        </p>
        <textarea
          id="assertion"
          name="assertion"
          required
          rows={6}
          maxlength={20000}
          autocomplete="off"
          autocapitalize="off"
          spellcheck={false}
          aria-describedby="assertion-hint"
        ></textarea>
        <div class="actions">
          <button class="primary" type="submit">
            {text.t('signIn.submit')}
          </button>
        </div>
      </form>
      <p class="hint">{text.t('signIn.session')}</p>
    </MonitoringLayout>
  );
};

/** What a member sees when a page cannot be shown: plain words, a way back, a reference. */
export const ErrorPage: FC<{ frame: MonitoringFrame; message: string; requestId: string }> = ({
  frame,
  message,
  requestId,
}) => {
  const { text } = frame;
  return (
    <MonitoringLayout {...frame}>
      <h1>{text.t('error.title')}</h1>
      <p class="lead">{message}</p>
      <p>
        {text.t('error.reference')}: <span class="mono">{requestId}</span>
      </p>
      <p>
        <a href={hrefIn(text, '/monitoring')}>{text.t('error.back')}</a>
      </p>
    </MonitoringLayout>
  );
};
