// Evaluate the workspace's model on a labelled file (the report of `allmende evaluate`). The file
// is read in the browser and sent as text; its texts are never shown here, only the figures.
import { useState, type FormEvent } from 'react';
import { ApiError } from '../../api.js';
import { errorText } from '../../errors.js';
import { useI18n } from '../../i18n.js';
import { moderation, type Metrics as MetricsData } from '../../moderationApi.js';
import { Metrics } from './Metrics.js';

type Format = 'tsv' | 'csv' | 'ndjson';
const FORMATS: Format[] = ['tsv', 'csv', 'ndjson'];

function formatOf(name: string): Format | null {
  const ext = name.toLowerCase().split('.').pop() ?? '';
  if (ext === 'tsv' || ext === 'txt') return 'tsv';
  if (ext === 'csv') return 'csv';
  if (ext === 'ndjson' || ext === 'jsonl') return 'ndjson';
  return null;
}

export function EvaluateFile({ workspace, onUnauthorized }: { workspace: string; onUnauthorized: () => void }) {
  const { t } = useI18n();
  const m = t.models;
  const [file, setFile] = useState<File | null>(null);
  const [format, setFormat] = useState<Format>('tsv');
  const [busy, setBusy] = useState(false);
  const [result, setResult] = useState<{ name: string; rows: number; models: string[]; evaluation: MetricsData } | null>(null);
  const [error, setError] = useState<unknown>(null);

  function choose(f: File | null) {
    setFile(f);
    setResult(null);
    setError(null);
    const guessed = f ? formatOf(f.name) : null;
    if (guessed) setFormat(guessed);
  }

  async function evaluate(event: FormEvent) {
    event.preventDefault();
    if (!file) return;
    setBusy(true);
    setError(null);
    setResult(null);
    try {
      const r = await moderation.evaluateData(workspace, await file.text(), format, file.name);
      setResult({ name: file.name, rows: r.rows, models: r.models, evaluation: r.evaluation });
    } catch (err) {
      if (err instanceof ApiError && err.status === 401) return onUnauthorized();
      setError(err);
    } finally {
      setBusy(false);
    }
  }

  return (
    <section aria-labelledby="evaluate-file-title" data-testid="evaluate-file">
      <h2 id="evaluate-file-title">{m.fileTitle}</h2>
      <p className="muted">{m.fileIntro}</p>
      <form className="toolbar" onSubmit={(e) => void evaluate(e)}>
        <label className="field-inline">
          <span>{m.file}</span>
          <input type="file" data-testid="evaluate-file-input" accept=".tsv,.csv,.ndjson,.jsonl,.txt" onChange={(e) => choose(e.target.files?.[0] ?? null)} />
        </label>
        <label className="field-inline">
          <span>{m.format}</span>
          <select data-testid="evaluate-file-format" value={format} onChange={(e) => setFormat(e.target.value as Format)}>
            {FORMATS.map((f) => <option key={f} value={f}>{f.toUpperCase()}</option>)}
          </select>
        </label>
        <button type="submit" data-testid="evaluate-file-submit" disabled={!file || busy}>{busy ? m.evaluating : m.evaluate}</button>
      </form>
      {error !== null && <p className="error" role="alert" data-testid="evaluate-file-error">{m.fileFailed} {errorText(error, t)}</p>}
      {result && (
        <div data-testid="evaluate-file-result">
          <p className="muted">{m.fileReport(result.name, result.rows, result.models.join(' + '))}</p>
          <Metrics metrics={result.evaluation} />
        </div>
      )}
    </section>
  );
}
