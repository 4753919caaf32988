// What a trainee may do alone, only with a mentor's approval, or never: per workspace, set by a
// manager, with a cautious default. A manager can lift the approval requirement for one trainee
// and one action (graduated autonomy); "never" stays never.
import { z } from 'zod';
import type { Db } from '../store/db.js';

/** Actions a trainee can take. Hiding spam is its own action: the default lets trainees do it alone. */
export const TRAINEE_ACTIONS = ['reply', 'approve', 'hold', 'hide_spam', 'hide', 'delete', 'restore', 'ban'] as const;
export type TraineeAction = (typeof TRAINEE_ACTIONS)[number];
export const MODES = ['alone', 'approval', 'never'] as const;
export type Mode = (typeof MODES)[number];

export const DEFAULT_POLICIES: Record<TraineeAction, Mode> = {
  reply: 'approval', approve: 'approval', hold: 'alone', hide_spam: 'alone', hide: 'approval', delete: 'approval', restore: 'approval', ban: 'never',
};

export const policiesBody = z.partialRecord(z.enum(TRAINEE_ACTIONS), z.enum(MODES));

export interface TrainingSettings {
  policies: Record<TraineeAction, Mode>;
  skills: string[];
  autonomyThreshold: number;
  autonomyWindow: number;
  dailyExposureCap: number;
}

export async function trainingSettings(db: Db, workspaceId: string): Promise<TrainingSettings> {
  const [row] = await db.query<any>(`select policies, skills, autonomy_threshold, autonomy_window, daily_exposure_cap from training_settings where workspace_id = $1`, [workspaceId]);
  return {
    policies: { ...DEFAULT_POLICIES, ...(row?.policies ?? {}) },
    skills: row?.skills ?? ['tone', 'accuracy', 'policy', 'speed', 'empathy'],
    autonomyThreshold: row?.autonomy_threshold ?? 0.9,
    autonomyWindow: row?.autonomy_window ?? 20,
    dailyExposureCap: row?.daily_exposure_cap ?? 20,
  };
}

/** The action a moderation decision is, for the policy. */
export function decisionAction(decision: string, category?: string | null): TraineeAction {
  if (decision === 'hide' && category === 'spam') return 'hide_spam';
  return decision as TraineeAction;
}

/** How this trainee may take this action now. */
export async function modeFor(db: Db, workspaceId: string, userId: string, action: TraineeAction): Promise<Mode> {
  const settings = await trainingSettings(db, workspaceId);
  const mode = settings.policies[action];
  if (mode !== 'approval') return mode;
  const [t] = await db.query<{ autonomy: string[] }>(`select autonomy from trainees where workspace_id = $1 and user_id = $2`, [workspaceId, userId]);
  return t?.autonomy.includes(action) ? 'alone' : 'approval';
}
