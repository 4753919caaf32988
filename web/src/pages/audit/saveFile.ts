// Hands a fetched file to the browser as a download (for files a plain link cannot fetch,
// because the request needs the workspace header).
export function saveFile(blob: Blob, filename: string): void {
  const url = URL.createObjectURL(blob);
  const link = document.createElement('a');
  link.href = url;
  link.download = filename;
  link.rel = 'noopener';
  link.style.display = 'none';
  document.body.append(link);
  link.click();
  link.remove();
  // Some browsers read the blob after click() returns; give them time before letting it go.
  setTimeout(() => URL.revokeObjectURL(url), 60_000);
}

/** "allmende-audit-stadtwerke-nord-2025-01-31.csv": only safe characters from the slug. */
export function auditFilename(workspace: string, now = new Date()): string {
  const slug = workspace.toLowerCase().replace(/[^a-z0-9-]+/g, '-').replace(/^-+|-+$/g, '') || 'workspace';
  const day = `${now.getFullYear()}-${String(now.getMonth() + 1).padStart(2, '0')}-${String(now.getDate()).padStart(2, '0')}`;
  return `allmende-audit-${slug}-${day}.csv`;
}
