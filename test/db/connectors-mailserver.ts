// Real Postfix (SMTP) and Dovecot (IMAP, LMTP) from Debian on 127.0.0.1, each with its own
// configuration in a temporary folder, so tests never touch the system's mail set-up. Postfix
// accepts mail for the test domains from loopback and hands it to Dovecot over LMTP.
import { mkdtempSync, writeFileSync, readFileSync, mkdirSync, rmSync, existsSync, chownSync, chmodSync, utimesSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import { createServer, connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export const MAIL_DOMAINS = ['allmende.test', 'example.org'];

export interface MailServers {
  imapPort: number; smtpPort: number; dir: string;
  addUser(address: string, password: string): void;
  setPassword(address: string, password: string): Promise<void>;
  stop(): void;
}

/** Why the servers cannot run here, or null when they can. */
export function mailServersMissing(): string | null {
  for (const bin of ['/usr/sbin/postfix', '/usr/sbin/dovecot']) if (!existsSync(bin)) return `${bin} is not installed (.ci/run installs postfix, dovecot-imapd, dovecot-lmtpd)`;
  if (process.getuid?.() !== 0) return 'Postfix and Dovecot need root to start here';
  return null;
}

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => { const p = (s.address() as any).port; s.close(() => resolve(p)); });
  });
}

async function waitForPort(port: number, ms = 15_000): Promise<void> {
  const deadline = Date.now() + ms;
  for (;;) {
    const ok = await new Promise<boolean>((resolve) => {
      const c = connect(port, '127.0.0.1');
      c.once('connect', () => { c.destroy(); resolve(true); });
      c.once('error', () => resolve(false));
    });
    if (ok) return;
    if (Date.now() > deadline) throw new Error(`nothing listens on 127.0.0.1:${port}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

export async function startMailServers(): Promise<MailServers> {
  const dir = mkdtempSync(join(tmpdir(), 'allmende-mail-'));
  // The daemons run as their own users and must reach their folders inside.
  chmodSync(dir, 0o755);
  const [imapPort, lmtpPort, smtpPort, authPort] = [await freePort(), await freePort(), await freePort(), await freePort()];
  const users = join(dir, 'users');
  const mail = join(dir, 'mail');
  for (const d of ['run', 'state', 'mail']) mkdirSync(join(dir, d), { recursive: true });
  chownSync(mail, 8, 8); // Debian's "mail" user owns the mailboxes.
  writeFileSync(users, '');
  const doveConf = join(dir, 'dovecot.conf');
  writeFileSync(doveConf, `
base_dir = ${dir}/run
state_dir = ${dir}/state
log_path = ${dir}/dovecot.log
protocols = imap lmtp
listen = 127.0.0.1
ssl = no
disable_plaintext_auth = no
auth_mechanisms = plain login
mail_location = maildir:${mail}/%d/%n
# Tell IDLE clients about new mail within a second even where inotify is unavailable.
mailbox_idle_check_interval = 1 secs
mail_uid = mail
mail_gid = mail
first_valid_uid = 8
default_login_user = dovenull
default_internal_user = dovecot
passdb {
  driver = passwd-file
  args = scheme=PLAIN username_format=%u ${users}
}
userdb {
  driver = static
  args = uid=mail gid=mail home=${mail}/%d/%n
}
namespace inbox {
  inbox = yes
  separator = /
  mailbox Sent {
    special_use = \\Sent
    auto = subscribe
  }
  mailbox Trash {
    special_use = \\Trash
    auto = subscribe
  }
  mailbox Erledigt {
    auto = subscribe
  }
}
service imap-login {
  inet_listener imap {
    address = 127.0.0.1
    port = ${imapPort}
  }
  inet_listener imaps {
    port = 0
  }
}
service lmtp {
  inet_listener lmtp {
    address = 127.0.0.1
    port = ${lmtpPort}
  }
  unix_listener lmtp {
    mode = 0600
  }
}
# Postfix asks Dovecot whether a sender who logs in to submit mail knows the password.
service auth {
  inet_listener {
    address = 127.0.0.1
    port = ${authPort}
  }
}
protocol lmtp {
  postmaster_address = postmaster@allmende.test
}
`);
  const pf = join(dir, 'postfix');
  mkdirSync(pf);
  writeFileSync(join(pf, 'main.cf'), `
compatibility_level = 3.6
queue_directory = ${dir}/spool
data_directory = ${dir}/pfdata
mail_owner = postfix
setgid_group = postdrop
inet_interfaces = 127.0.0.1
inet_protocols = ipv4
myhostname = mail.allmende.test
mydomain = allmende.test
mydestination =
mynetworks = 127.0.0.0/8
relay_domains =
virtual_mailbox_domains = ${MAIL_DOMAINS.join(' ')}
virtual_transport = lmtp:inet:127.0.0.1:${lmtpPort}
smtpd_relay_restrictions = permit_mynetworks, permit_sasl_authenticated, reject
smtpd_recipient_restrictions = permit_mynetworks, permit_sasl_authenticated, reject
smtpd_sasl_auth_enable = yes
smtpd_sasl_type = dovecot
smtpd_sasl_path = inet:127.0.0.1:${authPort}
smtpd_tls_security_level = none
alias_maps =
alias_database =
local_recipient_maps =
maillog_file = ${dir}/postfix.log
maillog_file_prefixes = ${dir}
smtp_dns_support_level = disabled
disable_dns_lookups = yes
queue_run_delay = 1s
minimal_backoff_time = 1s
maximal_backoff_time = 2s
shlib_directory = /usr/lib/postfix
daemon_directory = /usr/lib/postfix/sbin
command_directory = /usr/sbin
meta_directory = /etc/postfix
`);
  // Debian's service table, with the SMTP listener moved to our port and no chroot.
  const master = readFileSync('/etc/postfix/master.cf', 'utf8').split('\n').map((line) => {
    if (/^smtp\s+inet\s/.test(line)) return `127.0.0.1:${smtpPort} inet n - n - - smtpd`;
    const m = /^(\S+\s+\S+\s+\S+\s+\S+\s+)(\S+)(\s+.*)$/.exec(line);
    return m && !line.startsWith('#') && !/^\s/.test(line) ? `${m[1]}n${m[3]}` : line;
  }).join('\n');
  writeFileSync(join(pf, 'master.cf'), master);
  // The queue folders with the owners and modes Postfix insists on (post-install would make them).
  const spool = join(dir, 'spool');
  const pfUid = Number(spawnSync('id', ['-u', 'postfix'], { encoding: 'utf8' }).stdout.trim());
  const postdrop = Number(spawnSync('getent', ['group', 'postdrop'], { encoding: 'utf8' }).stdout.split(':')[2]);
  for (const d of ['active', 'bounce', 'corrupt', 'defer', 'deferred', 'flush', 'hold', 'incoming', 'private', 'saved', 'trace']) {
    mkdirSync(join(spool, d), { recursive: true, mode: 0o700 });
    chownSync(join(spool, d), pfUid, 0);
  }
  chmodSync(spool, 0o755);
  mkdirSync(join(spool, 'pid'), { mode: 0o755 });
  mkdirSync(join(spool, 'maildrop'), { mode: 0o730 });
  mkdirSync(join(spool, 'public'), { mode: 0o710 });
  chownSync(join(spool, 'maildrop'), pfUid, postdrop);
  chownSync(join(spool, 'public'), pfUid, postdrop);
  chmodSync(join(spool, 'maildrop'), 0o730); // umask took the group's write bit
  mkdirSync(join(dir, 'pfdata'), { mode: 0o700 });
  chownSync(join(dir, 'pfdata'), pfUid, 0);
  // The daemons keep inherited pipes open, so their output goes to files, never to a pipe we wait on.
  const start = (cmd: string, args: string[], log: string) => {
    const r = spawnSync(cmd, args, { stdio: 'ignore', timeout: 20_000, env: { ...process.env, MAIL_CONFIG: pf } });
    if (r.status !== 0) throw new Error(`${cmd} ${args.join(' ')} failed (${r.status ?? r.signal}); see ${log}`);
  };
  start('/usr/sbin/dovecot', ['-c', doveConf], join(dir, 'dovecot.log'));
  try {
    start('/usr/sbin/postfix', ['-c', pf, 'start'], join(dir, 'postfix.log'));
  } catch (e) {
    spawnSync('/usr/sbin/dovecot', ['-c', doveConf, 'stop'], { stdio: 'ignore', timeout: 10_000 });
    throw e;
  }
  await waitForPort(imapPort);
  await waitForPort(smtpPort);
  return {
    imapPort, smtpPort, dir,
    addUser(address, password) { writeFileSync(users, `${readFileSync(users, 'utf8')}${address}:{PLAIN}${password}\n`); },
    async setPassword(address, password) {
      writeFileSync(users, readFileSync(users, 'utf8').split('\n').map((l) => (l.startsWith(`${address}:`) ? `${address}:{PLAIN}${password}` : l)).join('\n'));
      // Dovecot re-reads the file when its modification time changes, checked about once a second.
      const later = new Date(Date.now() + 2000);
      utimesSync(users, later, later);
      await new Promise((r) => setTimeout(r, 2500));
    },
    stop() {
      spawnSync('/usr/sbin/postfix', ['-c', pf, 'stop'], { stdio: 'ignore', timeout: 20_000, env: { ...process.env, MAIL_CONFIG: pf } });
      spawnSync('/usr/sbin/dovecot', ['-c', doveConf, 'stop'], { stdio: 'ignore', timeout: 20_000 });
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
