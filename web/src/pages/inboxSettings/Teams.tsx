// Teams: members, who is away, automatic assignment and which platforms the team takes.
import { useState, type FormEvent } from 'react';
import { errorText } from '../../errors.js';
import { useI18n } from '../../i18n.js';
import { FieldError } from './FieldError.js';
import { AUTO_ASSIGN, fieldErrors, type AutoAssign, type Person, type Team, type settingsApi } from './settingsApi.js';

const PLATFORMS = ['bluesky', 'mastodon', 'email', 'facebook', 'instagram', 'threads', 'youtube', 'tiktok', 'x', 'linkedin', 'reddit', 'discord', 'telegram', 'whatsapp', 'website', 'forum', 'other'];

interface Props { api: ReturnType<typeof settingsApi>; teams: Team[]; people: Person[]; canEdit: boolean; onChanged: () => void }

export function Teams({ api, teams, people, canEdit, onChanged }: Props) {
  const { t } = useI18n();
  const s = t.inboxSettings;
  const [editing, setEditing] = useState<Team | 'new' | null>(null);
  const [error, setError] = useState<unknown>(null);

  async function toggle(team: Team, userId: string, available: boolean) {
    setError(null);
    try { await api.availability(team.id, userId, available); onChanged(); } catch (err) { setError(err); }
  }

  async function remove(team: Team) {
    if (!window.confirm(s.confirmDeleteTeam(team.name))) return;
    setError(null);
    try { await api.deleteTeam(team.id); onChanged(); } catch (err) { setError(err); }
  }

  return (
    <section className="settings-section" aria-labelledby="teams-title" data-testid="settings-teams">
      <h2 id="teams-title">{s.teams}</h2>
      <p className="muted">{s.teamsIntro}</p>
      {teams.length === 0 && <p className="empty">{s.noTeams}</p>}
      <ul className="plain">
        {teams.map((team) => (
          <li key={team.id} data-testid="team" data-name={team.name}>
            <strong>{team.name}</strong> · {s.autoAssignModes[team.autoAssign]} · {team.platforms.length ? team.platforms.join(', ') : s.allPlatforms}
            {canEdit && <button type="button" className="secondary" onClick={() => setEditing(team)}>{s.edit}</button>}
            {canEdit && <button type="button" className="secondary" data-testid="team-delete" aria-label={s.deleteNamed(team.name)} onClick={() => void remove(team)}>{s.remove}</button>}
            <ul className="plain">
              {team.members.map((m) => (
                <li key={m.id}>
                  <label className="field-inline">
                    <input type="checkbox" checked={m.available} disabled={!canEdit} aria-label={s.availability(m.name)}
                      data-testid="member-available" onChange={(e) => void toggle(team, m.id, e.target.checked)} />
                    <span>{m.name} ({m.available ? s.available : s.away})</span>
                  </label>
                </li>
              ))}
            </ul>
          </li>
        ))}
      </ul>
      {error !== null && <p className="error" role="alert">{errorText(error, t)}</p>}
      {canEdit && !editing && <button type="button" data-testid="team-new" onClick={() => setEditing('new')}>{s.newTeam}</button>}
      {editing && <TeamForm key={editing === 'new' ? 'new' : editing.id} api={api} team={editing === 'new' ? null : editing} people={people}
        onDone={() => { setEditing(null); onChanged(); }} onCancel={() => setEditing(null)} />}
    </section>
  );
}

function TeamForm({ api, team, people, onDone, onCancel }: { api: Props['api']; team: Team | null; people: Person[]; onDone: () => void; onCancel: () => void }) {
  const { t } = useI18n();
  const s = t.inboxSettings;
  const [name, setName] = useState(team?.name ?? '');
  const [autoAssign, setAutoAssign] = useState<AutoAssign>(team?.autoAssign ?? 'off');
  const [platforms, setPlatforms] = useState<string[]>(team?.platforms ?? []);
  const [members, setMembers] = useState<string[]>(team?.members.map((m) => m.id) ?? []);
  const [errors, setErrors] = useState<Record<string, string> | null>(null);
  const [other, setOther] = useState<unknown>(null);
  const flip = (list: string[], v: string) => (list.includes(v) ? list.filter((x) => x !== v) : [...list, v]);

  async function submit(event: FormEvent) {
    event.preventDefault();
    setErrors(null);
    setOther(null);
    try {
      await api.saveTeam(team?.id ?? null, { name, autoAssign, platforms, members });
      onDone();
    } catch (err) {
      const f = fieldErrors(err, t);
      if (f) setErrors(f); else setOther(err);
    }
  }

  return (
    <form className="settings-form" onSubmit={submit} data-testid="team-form" noValidate>
      <label className="field"><span>{s.name}</span>
        <input data-testid="team-name" value={name} onChange={(e) => setName(e.target.value)} aria-invalid={!!errors?.name || undefined} />
        <FieldError errors={errors} field="name" />
      </label>
      <label className="field"><span>{s.autoAssign}</span>
        <select data-testid="team-auto-assign" value={autoAssign} onChange={(e) => setAutoAssign(e.target.value as AutoAssign)}>
          {AUTO_ASSIGN.map((m) => <option key={m} value={m}>{s.autoAssignModes[m]}</option>)}
        </select>
        <FieldError errors={errors} field="autoAssign" />
      </label>
      <fieldset><legend>{s.members}</legend>
        {people.map((p) => (
          <label key={p.id} className="field-inline">
            <input type="checkbox" data-testid="team-member" data-name={p.name} checked={members.includes(p.id)} onChange={() => setMembers(flip(members, p.id))} />
            <span>{p.name}</span>
          </label>
        ))}
        <FieldError errors={errors} field="members" />
      </fieldset>
      <fieldset><legend>{s.platforms} ({platforms.length ? platforms.length : s.allPlatforms})</legend>
        {PLATFORMS.map((p) => (
          <label key={p} className="field-inline">
            <input type="checkbox" data-testid="team-platform" data-platform={p} checked={platforms.includes(p)} onChange={() => setPlatforms(flip(platforms, p))} />
            <span>{p}</span>
          </label>
        ))}
        <FieldError errors={errors} field="platforms" />
      </fieldset>
      {other !== null && <p className="error" role="alert">{errorText(other, t)}</p>}
      <button type="submit" data-testid="team-save">{s.save}</button>
      <button type="button" className="secondary" onClick={onCancel}>{s.cancel}</button>
    </form>
  );
}
