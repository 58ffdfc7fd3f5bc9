// Plain text from a rule's Markdown help, for SARIF's help.text (viewers that do not render
// Markdown show it as is). Only the marks a rule page uses are undone; text is never lost.

/** Strips heading marks, fences, inline-code ticks, emphasis and link syntax. */
export function markdownToText(md: string): string {
  const out: string[] = [];
  let inFence = false;
  for (const line of md.replace(/\r\n?/g, '\n').split('\n')) {
    if (/^\s*(```|~~~)/.test(line)) {
      inFence = !inFence;
      continue;
    }
    if (inFence) {
      out.push(line);
      continue;
    }
    out.push(
      line
        .replace(/^#{1,6}\s+/, '')
        .replace(/!?\[([^\]]*)\]\(([^)\s]+)\)/g, (_m, text: string, url: string) => (text ? `${text} (${url})` : url))
        .replace(/`([^`]+)`/g, '$1')
        .replace(/(\*\*|__)(?=\S)(.+?)(?<=\S)\1/g, '$2')
        .replace(/(^|[^\w*])\*(?=\S)([^*]+?)(?<=\S)\*(?![\w*])/g, '$1$2'),
    );
  }
  return out.join('\n').replace(/\n{3,}/g, '\n\n').trim();
}
