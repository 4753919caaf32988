// What every browser test needs: a real Allmende listening on 127.0.0.1, Debian's chromium, and
// signing in through the login form. Registers its own beforeAll/afterAll.
import { beforeAll, afterAll } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { launchChromium } from './chromium.js';
import { startTestApp, type TestEnv } from '../helpers.js';

export interface BrowserEnv { t: TestEnv; browser: Browser; url: string }

/** Starts app and browser before the file's tests (then runs `prepare`), stops both after them. */
export function browserApp(prepare?: (t: TestEnv) => Promise<void>): BrowserEnv {
  const env = {} as BrowserEnv;
  beforeAll(async () => {
    env.t = await startTestApp();
    env.url = await env.t.server.listen({ host: '127.0.0.1', port: 0 });
    if (prepare) await prepare(env.t);
    env.browser = await launchChromium();
  });
  afterAll(async () => { await env.browser?.close(); await env.t?.close(); });
  return env;
}

/** Opens the app in a new page (German unless told) and signs in through the form. */
export async function signIn(env: BrowserEnv, email: string, password: string, locale = 'de-DE'): Promise<Page> {
  const page = await env.browser.newPage({ locale });
  // The suite runs the database projects alongside: on a busy machine a click can wait its turn.
  page.setDefaultTimeout(60_000);
  await page.goto(env.url);
  await page.getByTestId('login-email').fill(email);
  await page.getByTestId('login-password').fill(password);
  await page.getByTestId('login-submit').click();
  await page.getByTestId('logout').waitFor();
  return page;
}
