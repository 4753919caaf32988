// First run: create the owner account and the first workspace (POST /api/v1/setup).
import { useState, type FormEvent } from 'react';
import { api, ApiError } from '../api.js';
import { errorText } from '../errors.js';
import { useI18n } from '../i18n.js';

const MIN_PASSWORD = 12;

interface Props {
  onDone: () => void;
  /** Someone else finished the setup meanwhile: go to the login form. */
  onAlreadyDone: () => void;
}

export function Setup({ onDone, onAlreadyDone }: Props) {
  const { t } = useI18n();
  const [email, setEmail] = useState('');
  const [name, setName] = useState('');
  const [password, setPassword] = useState('');
  const [workspaceName, setWorkspaceName] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  async function submit(event: FormEvent) {
    event.preventDefault();
    if (password.length < MIN_PASSWORD) {
      setError(t.passwordTooShort);
      return;
    }
    setBusy(true);
    setError(null);
    try {
      await api.setup({ email: email.trim(), name: name.trim(), password, workspaceName: workspaceName.trim() });
      onDone();
    } catch (err) {
      if (err instanceof ApiError && err.status === 409) onAlreadyDone();
      else setError(errorText(err, t));
      setBusy(false);
    }
  }

  return (
    <main className="card">
      <h1>{t.setupTitle}</h1>
      <p className="muted">{t.setupIntro}</p>
      <form onSubmit={submit}>
        <label>
          {t.setupEmail}
          <input data-testid="setup-email" type="email" autoComplete="email" required
            value={email} onChange={(e) => setEmail(e.target.value)} />
        </label>
        <label>
          {t.setupName}
          <input data-testid="setup-name" type="text" autoComplete="name" required
            value={name} onChange={(e) => setName(e.target.value)} />
        </label>
        <label>
          {t.setupPassword}
          <input data-testid="setup-password" type="password" autoComplete="new-password" required
            aria-describedby="setup-password-hint"
            value={password} onChange={(e) => setPassword(e.target.value)} />
          <small id="setup-password-hint" className="muted">{t.setupPasswordHint}</small>
        </label>
        <label>
          {t.setupWorkspace}
          <input data-testid="setup-workspace" type="text" required
            value={workspaceName} onChange={(e) => setWorkspaceName(e.target.value)} />
        </label>
        {error && <p className="error" role="alert" data-testid="setup-error">{error}</p>}
        <button data-testid="setup-submit" type="submit" disabled={busy}>{t.setupSubmit}</button>
      </form>
    </main>
  );
}
