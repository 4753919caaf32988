// The rule language in brief (condensed from src/moderation/rules/reference.md), behind a toggle.
import { useState } from 'react';
import { useI18n } from '../../i18n.js';

function Table({ caption, rows }: { caption: string; rows: [string, string][] }) {
  return (
    <table className="table compact help-table">
      <caption>{caption}</caption>
      <tbody>
        {rows.map(([code, what]) => (
          <tr key={code}><th scope="row"><code>{code}</code></th><td>{what}</td></tr>
        ))}
      </tbody>
    </table>
  );
}

export function RulesHelp() {
  const { t } = useI18n();
  const h = t.rules.help;
  const [open, setOpen] = useState(false);
  return (
    <section className="help" aria-label={h.title}>
      <p>
        {t.rules.helpLead}{' '}
        <button type="button" className="secondary" data-testid="rules-help-toggle" aria-expanded={open}
          aria-controls="rules-help" onClick={() => setOpen((o) => !o)}>
          {h.toggle}
        </button>
      </p>
      {open && (
        <div id="rules-help" data-testid="rules-help">
          <h2>{h.title}</h2>
          <p>{h.intro}</p>
          <pre className="code-sample">{h.example}</pre>
          <Table caption={h.partsTitle} rows={h.parts} />
          <p>{h.conditions}</p>
          <Table caption={h.fieldsTitle} rows={h.fields} />
          <Table caption={h.actionsTitle} rows={h.actions} />
          <h3>{h.notesTitle}</h3>
          <ul>{h.notes.map((note) => <li key={note}>{note}</li>)}</ul>
        </div>
      )}
    </section>
  );
}
