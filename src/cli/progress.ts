// A progress line on stderr: redrawn in place on a terminal, every 10 % otherwise (CI logs).
export function progressBar(label: string) {
  const tty = process.stderr.isTTY;
  const started = Date.now();
  let lastTenth = -1;
  return {
    update(done: number, total: number | null, extra = '') {
      const rate = Math.round(done / Math.max(0.001, (Date.now() - started) / 1000));
      if (total) {
        const share = Math.min(1, done / total);
        const bar = '#'.repeat(Math.round(share * 30)).padEnd(30, '.');
        const line = `${label} [${bar}] ${(share * 100).toFixed(0)}% ${done}/${total} (${rate}/s) ${extra}`;
        if (tty) process.stderr.write(`\r${line}\x1b[K`);
        else if (Math.floor(share * 10) > lastTenth) { lastTenth = Math.floor(share * 10); process.stderr.write(line + '\n'); }
      } else if (tty) {
        process.stderr.write(`\r${label} ${done} (${rate}/s) ${extra}\x1b[K`);
      } else if (Math.floor(done / 10_000) > lastTenth) {
        lastTenth = Math.floor(done / 10_000);
        process.stderr.write(`${label} ${done} (${rate}/s) ${extra}\n`);
      }
    },
    done() { if (tty) process.stderr.write('\n'); },
  };
}
