// Sign in with email and password (POST /api/v1/auth/login).
import { useState, type FormEvent } from 'react';
import { api, ApiError } from '../api.js';
import { errorText, retryAfterMinutes } from '../errors.js';
import { useI18n } from '../i18n.js';

export type LoginNotice = 'setupAlreadyDone' | 'sessionExpired';

interface Props {
  onDone: () => void;
  /** Why the form is shown, if it needs saying. */
  notice?: LoginNotice | null;
}

export function Login({ onDone, notice }: Props) {
  const { t } = useI18n();
  const [email, setEmail] = useState('');
  const [password, setPassword] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  async function submit(event: FormEvent) {
    event.preventDefault();
    setBusy(true);
    setError(null);
    try {
      await api.login({ email: email.trim(), password });
      onDone();
    } catch (err) {
      if (err instanceof ApiError && err.status === 401) setError(t.loginInvalid);
      else if (err instanceof ApiError && err.status === 429) setError(t.loginRateLimited(retryAfterMinutes(err)));
      else setError(errorText(err, t));
      setBusy(false);
    }
  }

  return (
    <main className="card">
      <h1>{t.loginTitle}</h1>
      {notice && <p className="notice" role="status" data-testid="login-notice">{t[notice]}</p>}
      <form onSubmit={submit}>
        <label>
          {t.loginEmail}
          <input data-testid="login-email" type="email" autoComplete="username" required
            value={email} onChange={(e) => setEmail(e.target.value)} />
        </label>
        <label>
          {t.loginPassword}
          <input data-testid="login-password" type="password" autoComplete="current-password" required
            value={password} onChange={(e) => setPassword(e.target.value)} />
        </label>
        {error && <p className="error" role="alert" data-testid="login-error">{error}</p>}
        <button data-testid="login-submit" type="submit" disabled={busy}>{t.loginSubmit}</button>
      </form>
    </main>
  );
}
