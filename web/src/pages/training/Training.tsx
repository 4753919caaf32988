// "Ausbildung": the training page, one tab per part; which tabs a person sees follows their role.
import { useState } from 'react';
import { useI18n } from '../../i18n.js';
import { MentorQueue, MyDrafts, WriteDraft } from './Drafts.js';
import { Practice } from './Practice.js';
import { Calibration } from './Calibration.js';
import { Guidelines } from './Guidelines.js';
import { Overview, TraineeProgress, TrainingSettings } from './Progress.js';

type Tab = 'queue' | 'mine' | 'write' | 'practice' | 'calibration' | 'guidelines' | 'progress' | 'settings';
const RANK: Record<string, number> = { owner: 6, admin: 5, manager: 4, moderator: 3, trainee: 2, analyst: 1 };

export function Training({ workspace, role, userId, onUnauthorized }: { workspace: string; role: string | null; userId: string; onUnauthorized: () => void }) {
  const { t } = useI18n();
  const m = t.training;
  const rank = RANK[role ?? ''] ?? 0;
  const isTrainee = role === 'trainee';
  const canMentor = rank >= RANK.moderator;
  const isManager = rank >= RANK.manager;
  const tabs: Tab[] = [
    ...(canMentor ? ['queue' as const] : []),
    ...(isTrainee ? ['mine' as const, 'write' as const] : []),
    ...(rank >= RANK.trainee ? ['practice' as const, 'calibration' as const] : []),
    'guidelines',
    ...(rank >= RANK.trainee ? ['progress' as const] : []),
    ...(isManager ? ['settings' as const] : []),
  ];
  const [tab, setTab] = useState<Tab>(tabs[0]);
  const p = { workspace, onUnauthorized };
  return (
    <section className="training" aria-labelledby="training-title" data-testid="training-page">
      <div className="page-head"><h1 id="training-title">{m.title}</h1></div>
      <p className="muted">{m.intro}</p>
      <div className="tabs" role="tablist">
        {tabs.map((x) => (
          <button key={x} type="button" role="tab" aria-selected={tab === x} className={tab === x ? '' : 'secondary'} data-testid={`training-tab-${x}`} onClick={() => setTab(x)}>{m.tabs[x]}</button>
        ))}
      </div>
      {tab === 'queue' && <MentorQueue {...p} />}
      {tab === 'mine' && <MyDrafts {...p} />}
      {tab === 'write' && <WriteDraft {...p} />}
      {tab === 'practice' && <Practice {...p} canMentor={canMentor} />}
      {tab === 'calibration' && <Calibration {...p} isManager={isManager} />}
      {tab === 'guidelines' && <Guidelines {...p} canEdit={isManager} />}
      {tab === 'progress' && (canMentor ? <Overview {...p} isManager={isManager} /> : <TraineeProgress {...p} userId={userId} isManager={false} isSelf />)}
      {tab === 'settings' && <TrainingSettings {...p} />}
    </section>
  );
}
