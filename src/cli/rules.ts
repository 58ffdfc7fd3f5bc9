// `crossvet rules`: what each rule finds, at which level by default.
import { ALL_RULES } from '../../rules';

export function printRules(json: boolean): string {
  if (json) {
    return `${JSON.stringify(
      ALL_RULES.map((r) => ({ id: r.meta.id, name: r.meta.name, level: r.meta.defaultLevel, precision: r.meta.precision, tags: r.meta.tags, summary: r.meta.shortDescription })),
      null,
      2,
    )}\n`;
  }
  const width = Math.max(...ALL_RULES.map((r) => r.meta.id.length));
  return ALL_RULES.map((r) => `${r.meta.id.padEnd(width)}  ${r.meta.defaultLevel.padEnd(7)}  ${r.meta.shortDescription}\n`).join('');
}
