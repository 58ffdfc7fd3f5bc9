// The report stage: SARIF checked against the OASIS schema (and Microsoft's SARIF
// multitool when it runs here), GitHub workflow-command escaping checked against the
// Actions toolkit's documented examples, fingerprints against the vectors published with
// GitHub's uploader and an independent closed-form reference, and the text/JSON formats,
// merge and sort order against their contracts.
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { fileURLToPath } from 'url';
import Ajv from 'ajv-draft-04';
import addFormats from 'ajv-formats';
import type * as sarif from 'sarif';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Diagnostic, RuleMeta, Span } from '../src/types';
import type { Finding, ReportInput } from '../src/report/model';
import { lineHashes, primaryLocationLineHash } from '../src/report/fingerprint';
import { escapeData, escapeProperty, formatGithub } from '../src/report/github';
import { formatJson } from '../src/report/json';
import { markdownToText } from '../src/report/markdown';
import { formatSarif, SarifInputError, toSarif } from '../src/report/sarif';
import { mergeAcrossTargets, sortFindings, sortNotifications } from '../src/report/sort';
import { formatText } from '../src/report/text';

const repoRoot = path.resolve(__dirname, '..');
const schemaPath = path.resolve(repoRoot, '..', 'shared', 'sarif', 'sarif-schema-2.1.0.json');

function span(line: number, col: number, endLine: number, endCol: number): Span {
  return { start: { line, col }, end: { line: endLine, col: endCol } };
}

/** The span of the first occurrence of `needle` on 1-based `line` of `text` (UTF-16 columns). */
function spanOf(text: string, line: number, needle: string): Span {
  const l = text.split('\n')[line - 1];
  const i = l.indexOf(needle);
  if (i < 0) throw new Error(`${needle} not on line ${line}`);
  return span(line, i + 1, line, i + 1 + needle.length);
}

/** A deterministic shuffle (LCG), so a failure can be reproduced. */
function shuffled<T>(items: readonly T[], seed: number): T[] {
  const out = [...items];
  let s = seed;
  for (let i = out.length - 1; i > 0; i--) {
    s = (s * 1103515245 + 12345) % 2147483648;
    const j = s % (i + 1);
    [out[i], out[j]] = [out[j], out[i]];
  }
  return out;
}

const RULES: RuleMeta[] = [
  {
    id: 'int-overflow-32bit',
    name: 'IntOverflow32Bit',
    shortDescription: 'Constant overflows int on 32-bit targets',
    fullDescription: 'An untyped constant converted to int does not fit in 32 bits.',
    helpMarkdown: '# int-overflow-32bit\n\nUse `int64` for values above **2^31-1**. See [the spec](https://go.dev/ref/spec#Numeric_types).',
    defaultLevel: 'error',
    tags: ['portability', '32bit'],
    precision: 'very-high',
  },
  {
    id: 'atomic-alignment',
    name: 'AtomicAlignment',
    shortDescription: '64-bit atomic on a field that is not 8-byte aligned on 32-bit targets',
    fullDescription: 'sync/atomic 64-bit operations panic on 386 and ARM when the word is not 64-bit aligned.',
    helpMarkdown: '# atomic-alignment\n\n```go\nvar x atomic.Int64\n```\n\nPut *64-bit* words first.',
    defaultLevel: 'warning',
    tags: ['portability', 'correctness'],
    precision: 'high',
  },
  {
    id: 'cgo-net-linking',
    name: 'CgoNetLinking',
    shortDescription: 'Import of net makes the binary dynamically linked',
    fullDescription: 'With cgo enabled, net and os/user link against libc.',
    helpMarkdown: 'Build with `CGO_ENABLED=0` or the `netgo` tag.',
    defaultLevel: 'note',
    tags: ['portability'],
    precision: 'medium',
  },
];

const TARGETS = ['linux/amd64', 'linux/386', 'linux/arm/v6', 'windows/amd64'];

const A_GO = [
  'package a',
  '',
  'import "net"',
  '',
  'type T struct {',
  '\tflag bool',
  '\tn    int64 // 🙂 counter',
  '}',
  '',
  'func f(t *T) { atomic.AddInt64(&t.n, 1) }',
  '',
].join('\n');

// A non-BMP character before the finding: its column differs in UTF-16, code points and bytes.
const B_GO = ['package b', '', 'var s = "🙂"; const Big int = 1 << 40', ''].join('\r\n');

let tmp: string;
let root: string;
let aFile: string;
let bFile: string;
let input: ReportInput;

beforeAll(() => {
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'crossvet-report-'));
  root = path.join(tmp, 'mod root é');
  aFile = path.join(root, 'a.go');
  bFile = path.join(root, 'dir with space', 'ü 測試#%.go');
  fs.mkdirSync(path.dirname(bFile), { recursive: true });
  fs.writeFileSync(aFile, A_GO);
  fs.writeFileSync(bFile, B_GO);

  const atomicSpan = spanOf(A_GO, 10, 'atomic.AddInt64(&t.n, 1)');
  const findings: Finding[] = [
    {
      ruleId: 'atomic-alignment',
      file: aFile,
      span: atomicSpan,
      message: '64-bit atomic access to T.n, which is at offset 4 on 32-bit targets',
      level: 'error',
      targets: ['linux/386', 'linux/arm/v6'],
      related: [{ file: aFile, span: spanOf(A_GO, 7, 'n'), message: 'field n is declared here' }],
      fixes: [
        {
          description: 'Move n to the start of T',
          edits: [
            { file: aFile, span: span(7, 1, 8, 1), text: '' },
            { file: aFile, span: span(6, 1, 6, 1), text: '\tn    int64 // 🙂 counter\n' },
          ],
        },
      ],
      properties: { offset32: 4, fieldPath: 'T.n' },
    },
    {
      ruleId: 'int-overflow-32bit',
      file: bFile,
      span: spanOf(B_GO.replace(/\r/g, ''), 3, '1 << 40'),
      message: 'constant 1 << 40 overflows int on 32-bit targets',
      level: 'error',
      targets: ['linux/386', 'linux/arm/v6'],
    },
    {
      ruleId: 'cgo-net-linking',
      file: aFile,
      span: spanOf(A_GO, 3, '"net"'),
      message: 'importing net links the binary against libc when cgo is enabled',
      level: 'note',
      targets: [],
      suppressed: { kind: 'inSource', justification: 'this tool is never shipped as a static binary' },
    },
    {
      ruleId: 'cross-build-error',
      file: aFile,
      span: span(10, 16, 10, 22),
      message: 'undefined: atomic',
      level: 'error',
      targets: ['windows/amd64'],
      baselineState: 'new',
    },
  ];
  input = {
    root,
    toolVersion: '0.1.0',
    rules: RULES,
    findings,
    notifications: [
      { level: 'warning', id: 'syntax-error', message: 'expected declaration, found "}"', file: bFile, span: span(3, 1, 3, 4) },
      { level: 'note', id: 'go-missing', message: 'go not found on PATH; findings are not confirmed' },
      { level: 'error', id: 'unreadable-file', message: 'permission denied', file: path.join(root, 'locked, file:1.go') },
    ],
    targets: TARGETS,
    invocation: {
      commandLine: "crossvet check --format sarif './...'",
      arguments: ['check', '--format', 'sarif', './...'],
      workingDirectory: root,
      startTime: new Date('2025-01-02T03:04:05.678Z'),
      endTime: new Date('2025-01-02T03:04:06.789Z'),
      exitCode: 1,
      executionSuccessful: true,
    },
  };
});

afterAll(() => {
  fs.rmSync(tmp, { recursive: true, force: true });
});

describe('SARIF', () => {
  const schemaExists = fs.existsSync(schemaPath);
  if (!schemaExists) console.warn(`skipping SARIF schema validation: ${schemaPath} not found`);

  function validator() {
    const ajv = new Ajv({ allErrors: true, strict: false });
    addFormats(ajv);
    return ajv.compile(JSON.parse(fs.readFileSync(schemaPath, 'utf8')));
  }

  it.skipIf(!schemaExists)('validates against the SARIF 2.1.0 schema', () => {
    const validate = validator();
    const log = JSON.parse(formatSarif(input));
    const ok = validate(log);
    expect(validate.errors ?? []).toEqual([]);
    expect(ok).toBe(true);
  });

  it.skipIf(!schemaExists)('the schema check does reject invalid SARIF', () => {
    const validate = validator();
    const log = toSarif(input);
    (log.runs[0].results![0] as { level: string }).level = 'fatal';
    expect(validate(JSON.parse(JSON.stringify(log)))).toBe(false);
    const log2 = toSarif(input);
    log2.runs[0].results![0].locations![0].physicalLocation!.region!.startLine = 0;
    expect(validate(JSON.parse(JSON.stringify(log2)))).toBe(false);
    const log3 = toSarif(input);
    log3.runs[0].results![0].locations![0].physicalLocation!.artifactLocation!.uri = 'has space/a b.go';
    expect(validate(JSON.parse(JSON.stringify(log3)))).toBe(false);
  });

  it('has the run-level contract of DESIGN.md', () => {
    const log = toSarif(input);
    expect(log.version).toBe('2.1.0');
    expect(log.$schema).toBe('https://json.schemastore.org/sarif-2.1.0.json');
    expect(log.runs).toHaveLength(1);
    const run = log.runs[0];
    expect(run.columnKind).toBe('utf16CodeUnits');
    expect(run.properties?.targets).toEqual(TARGETS);
    expect(run.tool.driver.name).toBe('crossvet');
    expect(run.tool.driver.semanticVersion).toBe('0.1.0');
    const base = run.originalUriBaseIds!['%SRCROOT%'].uri!;
    expect(base.startsWith('file:///')).toBe(true);
    expect(base.endsWith('/')).toBe(true);
    expect(fileURLToPath(base)).toBe(root + path.sep);
    const inv = run.invocations![0];
    expect(inv).toMatchObject({
      commandLine: input.invocation.commandLine,
      arguments: input.invocation.arguments,
      startTimeUtc: '2025-01-02T03:04:05.678Z',
      endTimeUtc: '2025-01-02T03:04:06.789Z',
      exitCode: 1,
      executionSuccessful: true,
    });
    expect(fileURLToPath(inv.workingDirectory!.uri!)).toBe(root + path.sep);
  });

  it('describes every rule, and every result points at its rule', () => {
    const run = toSarif(input).runs[0];
    const rules = run.tool.driver.rules!;
    // The three rules of the run, plus a descriptor for the finding of a rule not listed.
    expect(rules.map((r) => r.id)).toEqual(['atomic-alignment', 'cgo-net-linking', 'cross-build-error', 'int-overflow-32bit']);
    const atomic = rules[0];
    expect(atomic).toMatchObject({
      name: 'AtomicAlignment',
      shortDescription: { text: RULES[1].shortDescription },
      fullDescription: { text: RULES[1].fullDescription },
      help: { markdown: RULES[1].helpMarkdown },
      helpUri: 'https://github.com/crossvet/crossvet/blob/main/docs/rules/atomic-alignment.md',
      defaultConfiguration: { level: 'warning' },
      properties: { tags: ['portability', 'correctness'], precision: 'high', 'problem.severity': 'warning' },
    });
    expect(atomic.help!.text).toBe('atomic-alignment\n\nvar x atomic.Int64\n\nPut 64-bit words first.');
    expect(rules.find((r) => r.id === 'cgo-net-linking')!.properties!['problem.severity']).toBe('recommendation');
    for (const r of run.results!) {
      expect(r.ruleIndex).toBeTypeOf('number');
      expect(rules[r.ruleIndex!].id).toBe(r.ruleId);
      expect(r.message.text).toBeTruthy();
      expect(r.level).toMatch(/^(error|warning|note)$/);
    }
  });

  it('locates results relative to %SRCROOT% with percent-encoded POSIX URIs', () => {
    const run = toSarif(input).runs[0];
    const base = run.originalUriBaseIds!['%SRCROOT%'].uri!;
    const files = run.results!.map((r) => {
      const al = r.locations![0].physicalLocation!.artifactLocation!;
      expect(al.uriBaseId).toBe('%SRCROOT%');
      expect(al.uri).not.toMatch(/[ \\#]|%(?![0-9A-F]{2})/);
      // Resolving the reference against the base with the WHATWG URL parser gives the file back.
      return fileURLToPath(new URL(al.uri!, base));
    });
    expect(files).toContain(bFile);
    const b = run.results!.find((r) => r.ruleId === 'int-overflow-32bit')!;
    expect(b.locations![0].physicalLocation!.artifactLocation!.uri).toBe(
      'dir%20with%20space/%C3%BC%20%E6%B8%AC%E8%A9%A6%23%25.go',
    );
  });

  it('gives 1-based regions in UTF-16 code units with the offending text as snippet', () => {
    const run = toSarif(input).runs[0];
    const b = run.results!.find((r) => r.ruleId === 'int-overflow-32bit')!;
    const region = b.locations![0].physicalLocation!.region!;
    // `var s = "🙂"; const Big int = 1 << 40`: the emoji is two UTF-16 units, so the
    // constant starts at column 31 (it would be 30 counting code points, 33 counting bytes).
    expect(region).toEqual({ startLine: 3, startColumn: 31, endLine: 3, endColumn: 38, snippet: { text: '1 << 40' } });
    const a = run.results!.find((r) => r.ruleId === 'atomic-alignment')!;
    expect(a.locations![0].physicalLocation!.region!.snippet!.text).toBe('atomic.AddInt64(&t.n, 1)');
  });

  it('carries related locations, fixes, targets, properties, suppressions and baseline state', () => {
    const run = toSarif(input).runs[0];
    const a = run.results!.find((r) => r.ruleId === 'atomic-alignment')!;
    expect(a.relatedLocations).toEqual([
      {
        id: 1,
        physicalLocation: {
          artifactLocation: { uri: 'a.go', uriBaseId: '%SRCROOT%' },
          region: { startLine: 7, startColumn: 2, endLine: 7, endColumn: 3, snippet: { text: 'n' } },
        },
        message: { text: 'field n is declared here' },
      },
    ]);
    expect(a.fixes).toEqual([
      {
        description: { text: 'Move n to the start of T' },
        artifactChanges: [
          {
            artifactLocation: { uri: 'a.go', uriBaseId: '%SRCROOT%' },
            replacements: [
              { deletedRegion: { startLine: 7, startColumn: 1, endLine: 8, endColumn: 1 }, insertedContent: { text: '' } },
              {
                deletedRegion: { startLine: 6, startColumn: 1, endLine: 6, endColumn: 1 },
                insertedContent: { text: '\tn    int64 // 🙂 counter\n' },
              },
            ],
          },
        ],
      },
    ]);
    expect(a.properties).toEqual({ fieldPath: 'T.n', offset32: 4, targets: ['linux/386', 'linux/arm/v6'] });
    const s = run.results!.find((r) => r.ruleId === 'cgo-net-linking')!;
    expect(s.suppressions).toEqual([
      { kind: 'inSource', status: 'accepted', justification: 'this tool is never shipped as a static binary' },
    ]);
    expect(s.properties!.targets).toEqual([]);
    const x = run.results!.find((r) => r.ruleId === 'cross-build-error')!;
    expect(x.baselineState).toBe('new');
    expect(a.baselineState).toBeUndefined();
    expect(a.suppressions).toBeUndefined();
  });

  it('fingerprints each result with the line hash of its first line', () => {
    const run = toSarif(input).runs[0];
    for (const r of run.results!) {
      const region = r.locations![0].physicalLocation!.region!;
      const file = r.ruleId === 'int-overflow-32bit' ? B_GO : A_GO;
      expect(r.partialFingerprints!.primaryLocationLineHash).toBe(primaryLocationLineHash(file, region.startLine!));
    }
    // Without a readable source there is no fingerprint and no snippet, but still a result.
    const noSource = toSarif({ ...input, readSource: () => undefined }).runs[0];
    expect(noSource.results).toHaveLength(input.findings.length);
    for (const r of noSource.results!) {
      expect(r.partialFingerprints).toBeUndefined();
      expect(r.locations![0].physicalLocation!.region!.snippet).toBeUndefined();
    }
  });

  it('turns notifications into toolExecutionNotifications', () => {
    const notes = toSarif(input).runs[0].invocations![0].toolExecutionNotifications!;
    expect(notes).toEqual([
      { descriptor: { id: 'go-missing' }, level: 'note', message: { text: 'go not found on PATH; findings are not confirmed' } },
      {
        descriptor: { id: 'syntax-error' },
        level: 'warning',
        message: { text: 'expected declaration, found "}"' },
        locations: [
          {
            physicalLocation: {
              artifactLocation: { uri: 'dir%20with%20space/%C3%BC%20%E6%B8%AC%E8%A9%A6%23%25.go', uriBaseId: '%SRCROOT%' },
              region: { startLine: 3, startColumn: 1, endLine: 3, endColumn: 4 },
            },
          },
        ],
      },
      {
        descriptor: { id: 'unreadable-file' },
        level: 'error',
        message: { text: 'permission denied' },
        locations: [{ physicalLocation: { artifactLocation: { uri: 'locked%2C%20file%3A1.go', uriBaseId: '%SRCROOT%' } } }],
      },
    ]);
  });

  it('is byte-identical whatever the input order', () => {
    const first = formatSarif(input);
    for (let seed = 1; seed <= 5; seed++) {
      const again = formatSarif({
        ...input,
        rules: shuffled(input.rules, seed),
        findings: shuffled(input.findings, seed),
        notifications: shuffled(input.notifications, seed),
      });
      expect(again).toBe(first);
    }
  });

  it('reports a span SARIF cannot express instead of writing an invalid log', () => {
    const bad = { ...input, findings: [{ ...input.findings[0], span: span(0, 1, 0, 2) }] };
    expect(() => toSarif(bad)).toThrow(SarifInputError);
    expect(() => toSarif(bad)).toThrow(/atomic-alignment finding in a\.go has an invalid span 0:1-0:2/);
  });
});

describe('SARIF multitool', () => {
  // @microsoft/sarif-multitool ships a self-contained native binary per platform.
  function multitool(): string | undefined {
    try {
      const bin = require('@microsoft/sarif-multitool') as string;
      const r = spawnSync(bin, ['--version'], { encoding: 'utf8', timeout: 60_000 });
      return r.status === 0 ? bin : undefined;
    } catch {
      return undefined;
    }
  }
  const bin = multitool();
  if (!bin) console.warn('skipping the SARIF multitool check: its binary does not run here');

  // Runs `validate` with the SARIF rules and the GitHub ingestion rules (kind Gh), and
  // returns the problems at warning level and above. SARIF2006 is disabled: it fetches
  // every URI in the log over HTTP.
  function validate(log: sarif.Log, name: string): string[] {
    const file = path.join(tmp, `${name}.sarif`);
    const out = path.join(tmp, `${name}.validation.sarif`);
    const config = path.join(tmp, 'multitool.xml');
    fs.writeFileSync(
      config,
      '<?xml version="1.0" encoding="utf-8"?>\n<Properties>\n' +
        '  <Properties Key="SARIF2006.UrisShouldBeReachable.Options">\n' +
        '    <Property Key="RuleEnabled" Value="Disabled" />\n  </Properties>\n</Properties>\n',
    );
    fs.writeFileSync(file, JSON.stringify(log, null, 2));
    const r = spawnSync(
      bin!,
      ['validate', file, '--output', out, '--log', 'ForceOverwrite', '--config', config, '--rule-kind', 'Sarif;Gh'],
      { encoding: 'utf8', timeout: 120_000 },
    );
    expect(r.status, r.stdout + r.stderr).toBe(0);
    const result = JSON.parse(fs.readFileSync(out, 'utf8')) as sarif.Log;
    const run = result.runs[0];
    const failures = (run.invocations?.[0]?.toolExecutionNotifications ?? []).filter((n) => n.level === 'error');
    expect(failures).toEqual([]);
    return (run.results ?? [])
      .filter((x) => (x.level ?? 'warning') === 'error' || (x.level ?? 'warning') === 'warning')
      .map((x) => `${x.level ?? 'warning'} ${x.ruleId}: ${JSON.stringify(x.message.arguments ?? x.message.text)}`);
  }

  it.skipIf(!bin)('finds no errors or warnings in our SARIF', () => {
    expect(validate(JSON.parse(formatSarif(input)), 'crossvet')).toEqual([]);
  });

  it.skipIf(!bin)('does report a broken log (the check can fail)', () => {
    const log = toSarif(input);
    log.runs[0].results![0].ruleIndex = 99;
    delete log.runs[0].results![1].locations;
    const problems = validate(JSON.parse(JSON.stringify(log)), 'broken');
    expect(problems.some((p) => p.startsWith('error SARIF1009'))).toBe(true);
    expect(problems.some((p) => p.startsWith('error GH'))).toBe(true);
  });
});

describe('primaryLocationLineHash', () => {
  // Published with GitHub's uploader (github/codeql-action, src/fingerprints.test.ts):
  // input and the hash of each of its lines.
  const VECTORS: [string, string[]][] = [
    ['', ['c129715d7a2bc9a3:1']],
    [' a\nb\n  \t\tc\n d', ['271789c17abda88f:1', '54703d4cd895b18:1', '180aee12dab6264:1', 'a23a3dc5e078b07b:1']],
    [
      ' hello; \t\nworld!!!\n\n\n  \t\tGreetings\n End',
      ['8b7cf3e952e7aeb2:1', 'b1ae1287ec4718d9:1', 'bff680108adb0fcc:1', 'c6805c5e1288b612:1', 'b86d3392aea1be30:1', 'e6ceba753e1a442:1'],
    ],
    ...[
      ' hello; \t\nworld!!!\n\n\n  \t\tGreetings\n End\n',
      ' hello; \t\nworld!!!\r\r\r  \t\tGreetings\r End\r',
      ' hello; \t\r\nworld!!!\r\n\r\n\r\n  \t\tGreetings\r\n End\r\n',
      ' hello; \t\nworld!!!\r\n\n\r  \t\tGreetings\r End\r\n',
    ].map((s): [string, string[]] => [
      s,
      [
        'e9496ae3ebfced30:1',
        'fb7c023a8b9ccb3f:1',
        'ce8ba1a563dcdaca:1',
        'e20e36e16fcb0cc8:1',
        'b3edc88f2938467e:1',
        'c8e28b0b4002a3a0:1',
        'c129715d7a2bc9a3:1',
      ],
    ]),
    [
      'Lorem ipsum dolor sit amet.\n'.repeat(10),
      [
        'a7f2ff13bc495cf2:1',
        'a7f2ff13bc495cf2:2',
        'a7f2ff13bc495cf2:3',
        'a7f2ff13bc495cf2:4',
        'a7f2ff13bc495cf2:5',
        'a7f2ff13bc495cf2:6',
        'a7f2ff1481e87703:1',
        'a9cf91f7bbf1862b:1',
        '55ec222b86bcae53:1',
        'cc97dc7b1d7d8f7b:1',
        'c129715d7a2bc9a3:1',
      ],
    ],
  ];

  it.each(VECTORS.map(([s, h], i) => [i, s, h] as const))('matches published vector %i', (_i, source, expected) => {
    expect(lineHashes(source)).toEqual(expected);
    expected.forEach((h, line) => expect(primaryLocationLineHash(source, line + 1)).toBe(h));
  });

  // The rolling hash of a window is the polynomial sum c[0]*37^99 + ... + c[99]*37^0 mod 2^64
  // over the 100 characters that start the line, once spaces and tabs are dropped, line
  // endings are "\n", and the file is followed by 65535 and zeros. Computed here directly.
  function closedForm(source: string): string[] {
    const text = source.replace(/\r\n/g, '\n').replace(/\r/g, '\n').replace(/[ \t]/g, '');
    const codes = [...Array(text.length).keys()].map((i) => text.charCodeAt(i));
    codes.push(65535, ...new Array(100).fill(0));
    const starts = [0];
    for (let i = 0; i < text.length; i++) if (codes[i] === 10) starts.push(i + 1);
    const counts = new Map<string, number>();
    return starts.map((start) => {
      let h = 0n;
      for (let k = 0; k < 100; k++) h = (h * 37n + BigInt(codes[start + k])) % (1n << 64n);
      const hex = h.toString(16);
      counts.set(hex, (counts.get(hex) ?? 0) + 1);
      return `${hex}:${counts.get(hex)}`;
    });
  }

  it('matches hand-computed values', () => {
    const M = 1n << 64n;
    // Empty file: the window holds 65535 followed by 99 zeros.
    expect(lineHashes('')).toEqual([`${((65535n * 37n ** 99n) % M).toString(16)}:1`]);
    // "a\n\tb": line 1 is a, LF, b, EOF; line 2 is b, EOF (the tab is skipped).
    const line1 = (97n * 37n ** 99n + 10n * 37n ** 98n + 98n * 37n ** 97n + 65535n * 37n ** 96n) % M;
    const line2 = (98n * 37n ** 99n + 65535n * 37n ** 98n) % M;
    expect(lineHashes('a\n\tb')).toEqual([`${line1.toString(16)}:1`, `${line2.toString(16)}:1`]);
  });

  it('agrees with the closed form on random text with long lines and mixed line endings', () => {
    const alphabet = ['a', 'b', 'Z', '0', ' ', '\t', '\n', '\r', '\r\n', '{', '🙂', 'é', '\uffff'];
    let s = 42;
    const rand = (n: number) => {
      s = (s * 1103515245 + 12345) % 2147483648;
      return s % n;
    };
    for (let round = 0; round < 60; round++) {
      const len = rand(400);
      let text = '';
      for (let i = 0; i < len; i++) text += rand(4) === 0 ? alphabet[rand(alphabet.length)] : alphabet[rand(4)];
      // Repeated lines exercise the ":n" counter.
      if (round % 5 === 0) text = text.repeat(3);
      expect(lineHashes(text)).toEqual(closedForm(text));
    }
  });

  it('has one hash per line as lines are counted with \\n, \\r\\n and \\r', () => {
    for (const text of ['x', 'x\n', 'x\r\ny\rz\n\n', A_GO, B_GO]) {
      expect(lineHashes(text)).toHaveLength(text.split(/\r\n|\r|\n/).length);
    }
  });

  it('rejects a line outside the file', () => {
    expect(() => primaryLocationLineHash('a\nb', 3)).toThrow(RangeError);
    expect(() => primaryLocationLineHash('a\nb', 0)).toThrow(/outside the source \(1\.\.2\)/);
  });
});

describe('GitHub workflow commands', () => {
  // The examples of the Actions toolkit (@actions/core, command tests).
  it('escapes messages as @actions/core does', () => {
    expect(escapeData('percent % percent % cr \r cr \r lf \n lf \n')).toBe(
      'percent %25 percent %25 cr %0D cr %0D lf %0A lf %0A',
    );
    expect(escapeData('%25 %25 %0D %0D %0A %0A')).toBe('%2525 %2525 %250D %250D %250A %250A');
    expect(escapeData('colon : comma ,')).toBe('colon : comma ,');
  });

  it('escapes properties as @actions/core does', () => {
    expect(escapeProperty('percent % percent % cr \r cr \r lf \n lf \n colon : colon : comma , comma ,')).toBe(
      'percent %25 percent %25 cr %0D cr %0D lf %0A lf %0A colon %3A colon %3A comma %2C comma %2C',
    );
    expect(escapeProperty('%25 %25 %0D %0D %0A %0A %3A %3A %2C %2C')).toBe(
      '%2525 %2525 %250D %250D %250A %250A %253A %253A %252C %252C',
    );
  });

  it('writes one command per active finding and notification', () => {
    const f = (over: Partial<Finding>): Finding => ({
      ruleId: 'int-overflow-32bit',
      file: path.join(root, 'x,y:z.go'),
      span: span(4, 7, 4, 14),
      message: 'constant overflows int\n(100% sure)',
      level: 'error',
      targets: ['linux/386', 'linux/arm/v6'],
      ...over,
    });
    const out = formatGithub({
      ...input,
      findings: [
        f({}),
        f({ level: 'warning', span: span(10, 3, 12, 1), targets: [] }),
        f({ level: 'note', span: span(20, 1, 22, 5), targets: [] }),
        f({ span: span(30, 1, 30, 2), suppressed: { kind: 'external', justification: 'x' } }),
        f({ span: span(31, 1, 31, 2), baselineState: 'absent' }),
      ],
      notifications: [{ level: 'note', id: 'go-missing', message: 'go not found' }],
    });
    expect(out.split('\n')).toEqual([
      '::error file=x%2Cy%3Az.go,line=4,col=7,endLine=4,endColumn=13,title=crossvet int-overflow-32bit::constant overflows int%0A(100%25 sure) (linux/386, linux/arm/v6)',
      // Ends at column 1 of line 12: the annotation covers lines 10-11; columns only on one line.
      '::warning file=x%2Cy%3Az.go,line=10,endLine=11,title=crossvet int-overflow-32bit::constant overflows int%0A(100%25 sure)',
      '::notice file=x%2Cy%3Az.go,line=20,endLine=22,title=crossvet int-overflow-32bit::constant overflows int%0A(100%25 sure)',
      '::notice title=crossvet go-missing::go not found',
      '',
    ]);
  });

  it('writes nothing when there is nothing to say', () => {
    expect(formatGithub({ ...input, findings: [], notifications: [] })).toBe('');
  });
});

describe('text format', () => {
  it('prints findings, notifications and a summary, without colour unless asked', () => {
    const out = formatText(input, { color: false });
    expect(out).toBe(
      [
        'a.go:10:16: error: undefined: atomic [cross-build-error] (windows/amd64)',
        'a.go:10:16: error: 64-bit atomic access to T.n, which is at offset 4 on 32-bit targets [atomic-alignment] (linux/386, linux/arm/v6)',
        'dir with space/ü 測試#%.go:3:31: error: constant 1 << 40 overflows int on 32-bit targets [int-overflow-32bit] (linux/386, linux/arm/v6)',
        'crossvet: note: go not found on PATH; findings are not confirmed [go-missing]',
        'crossvet: warning: dir with space/ü 測試#%.go:3:1: expected declaration, found "}" [syntax-error]',
        'crossvet: error: locked, file:1.go: permission denied [unreadable-file]',
        'crossvet: 3 errors, 0 warnings, 0 notes, 1 suppressed',
        '',
      ].join('\n'),
    );
    expect(out).not.toMatch(/\x1b/);
  });

  it('shows suppressed findings, related locations and fixes when verbose', () => {
    const out = formatText(input, { color: false, verbose: true }).split('\n');
    expect(out).toContain(
      'a.go:3:8: note: importing net links the binary against libc when cgo is enabled [cgo-net-linking] (suppressed inSource: this tool is never shipped as a static binary)',
    );
    const i = out.findIndex((l) => l.includes('[atomic-alignment]'));
    expect(out[i + 1]).toBe('    a.go:7:2: note: field n is declared here');
    expect(out[i + 2]).toBe('    fix: Move n to the start of T');
    expect(out.find((l) => l.includes('[cross-build-error]'))).toMatch(/\(baseline: new\)$/);
  });

  it('colours levels with ANSI when asked', () => {
    const out = formatText(input, { color: true });
    expect(out).toContain('\x1b[31merror:\x1b[0m');
    expect(out).toContain('\x1b[36mnote:\x1b[0m');
    expect(out).toContain('\x1b[1ma.go:10:16:\x1b[0m');
    // Removing the escapes gives the plain output back.
    expect(out.replace(/\x1b\[[0-9;]*m/g, '')).toBe(formatText(input, { color: false }));
  });

  it('shows each --confirm verdict under its finding, grouped by target, and counts them', () => {
    const conf = (status: string, byTarget: Record<string, { status: string; message: string }>) => ({ confirmation: { status, targets: [], message: '', byTarget } });
    const findings = [
      { ...input.findings[1], properties: conf('confirmed', { 'linux/386': { status: 'confirmed', message: 'cannot use 1 << 40 (overflows)' }, 'linux/arm/v6': { status: 'confirmed', message: 'cannot use 1 << 40 (overflows)' } }) },
      { ...input.findings[0], properties: conf('refuted', { 'linux/386': { status: 'refuted', message: 'builds cleanly' }, 'linux/arm/v6': { status: 'unknown', message: 'no C compiler\nfor arm' } }) },
    ];
    const out = formatText({ ...input, findings, notifications: [] }, { color: false }).split('\n');
    const i = out.findIndex((l) => l.includes('[int-overflow-32bit]'));
    expect(out[i + 1]).toBe('    confirmed on linux/386, linux/arm/v6: cannot use 1 << 40 (overflows)');
    const j = out.findIndex((l) => l.includes('[atomic-alignment]'));
    expect(out[j + 1]).toBe('    refuted on linux/386: builds cleanly; unknown on linux/arm/v6: no C compiler for arm');
    expect(out[out.length - 2]).toMatch(/; --confirm: 1 confirmed, 1 refuted$/);
  });

  it('keeps a multi-line message with its finding', () => {
    const out = formatText({ ...input, findings: [{ ...input.findings[1], message: 'first\nsecond' }], notifications: [] }, { color: false });
    expect(out.split('\n')[0]).toBe('dir with space/ü 測試#%.go:3:31: error: first');
    expect(out.split('\n')[1]).toBe('    second [int-overflow-32bit] (linux/386, linux/arm/v6)');
  });
});

describe('JSON format', () => {
  it('has the documented shape, with paths relative to the root', () => {
    const doc = JSON.parse(formatJson(input));
    expect(Object.keys(doc)).toEqual(['version', 'tool', 'root', 'targets', 'findings', 'notifications', 'summary', 'exitCode']);
    expect(doc.version).toBe(1);
    expect(doc.tool).toEqual({ name: 'crossvet', version: '0.1.0' });
    expect(doc.root).toBe(root);
    expect(doc.findings).toHaveLength(4);
    for (const f of doc.findings) {
      expect(Object.keys(f)).toEqual(['ruleId', 'level', 'file', 'span', 'message', 'targets', 'related', 'fixes', 'suppressed', 'baselineState', 'properties']);
    }
    const b = doc.findings.find((f: { ruleId: string }) => f.ruleId === 'int-overflow-32bit');
    expect(b).toMatchObject({ file: 'dir with space/ü 測試#%.go', span: { start: { line: 3, col: 31 }, end: { line: 3, col: 38 } }, suppressed: null, baselineState: null, related: [], fixes: [] });
    expect(doc.summary).toEqual({ error: 3, warning: 0, note: 0, suppressed: 1, absent: 0 });
    expect(doc.notifications[0]).toEqual({ id: 'go-missing', level: 'note', message: 'go not found on PATH; findings are not confirmed', file: null, span: null });
    expect(formatJson({ ...input, findings: shuffled(input.findings, 7) })).toBe(formatJson(input));
  });

  it('is documented', () => {
    const doc = fs.readFileSync(path.join(repoRoot, 'docs', 'output-json.md'), 'utf8');
    const json = JSON.parse(formatJson(input));
    for (const key of Object.keys(json)) expect(doc).toContain(`| \`${key}\` |`);
    for (const key of Object.keys(json.findings[0])) expect(doc).toContain(`\`findings[].${key}\``);
  });
});

describe('mergeAcrossTargets', () => {
  const base: Diagnostic = {
    ruleId: 'platform-symbol',
    file: '/m/a.go',
    span: span(3, 2, 3, 9),
    message: 'syscall.Mmap is undefined',
    targets: ['windows/amd64'],
    related: [{ file: '/m/a.go', span: span(1, 1, 1, 2), message: 'x' }],
    fixes: [{ description: 'guard', edits: [{ file: '/m/a.go', span: span(1, 1, 1, 1), text: '//go:build unix\n' }] }],
  };
  const order = ['linux/amd64', 'plan9/amd64', 'windows/amd64', 'js/wasm'];

  it('merges diagnostics that differ only by target, in the run order', () => {
    const merged = mergeAcrossTargets(
      [
        { ...base, targets: ['js/wasm'] },
        // Same data, keys built in another order.
        { fixes: base.fixes, related: base.related, message: base.message, span: base.span, file: base.file, ruleId: base.ruleId, targets: ['plan9/amd64'] },
        { ...base, targets: ['windows/amd64', 'js/wasm'] },
      ],
      order,
    );
    expect(merged).toEqual([{ ...base, targets: ['plan9/amd64', 'windows/amd64', 'js/wasm'] }]);
  });

  it('keeps apart what differs in anything but the targets', () => {
    const variants: Diagnostic[] = [
      base,
      { ...base, message: 'other' },
      { ...base, span: span(3, 2, 3, 10) },
      { ...base, ruleId: 'syscall-portability' },
      { ...base, file: '/m/b.go' },
      { ...base, related: [] },
      { ...base, fixes: undefined },
      { ...base, level: 'error' },
      { ...base, properties: { n: 1 } },
    ];
    const merged = mergeAcrossTargets([...variants, ...variants.map((v) => ({ ...v, targets: ['linux/amd64'] }))], order);
    expect(merged).toHaveLength(variants.length);
    for (const m of merged) expect(m.targets).toEqual(['linux/amd64', 'windows/amd64']);
  });

  it('treats an empty target list as every target, and orders unknown targets last', () => {
    expect(mergeAcrossTargets([{ ...base, targets: [] }, base])[0].targets).toEqual([]);
    expect(mergeAcrossTargets([{ ...base, targets: ['zz/top', 'aa/x', 'linux/amd64'] }], order)[0].targets).toEqual([
      'linux/amd64',
      'aa/x',
      'zz/top',
    ]);
  });

  it('drops nothing: 500 diagnostics over 5 targets give 100 merged ones', () => {
    const diags: Diagnostic[] = [];
    for (let i = 0; i < 100; i++) for (const t of ['a/1', 'b/2', 'c/3', 'd/4', 'e/5']) diags.push({ ...base, span: span(i + 1, 1, i + 1, 2), targets: [t] });
    const merged = mergeAcrossTargets(shuffled(diags, 3), ['e/5', 'd/4', 'c/3', 'b/2', 'a/1']);
    expect(merged).toHaveLength(100);
    for (const m of merged) expect(m.targets).toEqual(['e/5', 'd/4', 'c/3', 'b/2', 'a/1']);
  });
});

describe('sorting', () => {
  const d = (file: string, line: number, col: number, ruleId = 'r', message = 'm', targets: string[] = []): Diagnostic => ({
    ruleId,
    file,
    span: span(line, col, line, col + 1),
    message,
    targets,
  });

  it('orders by relative path, then line and column numerically, rule, message and targets', () => {
    const expected = [
      d('/m/a.go', 2, 1),
      d('/m/a.go', 10, 1),
      d('/m/a.go', 10, 3, 'a'),
      d('/m/a.go', 10, 3, 'b', 'm'),
      d('/m/a.go', 10, 3, 'b', 'n'),
      d('/m/a.go', 10, 3, 'b', 'n', ['linux/386']),
      d('/m/a.go', 10, 3, 'b', 'n', ['linux/arm']),
      d('/m/b/a.go', 1, 1),
      d('/m/b.go', 1, 1),
    ];
    for (let seed = 1; seed <= 20; seed++) expect(sortFindings(shuffled(expected, seed), '/m')).toEqual(expected);
  });

  it('does not depend on the locale', () => {
    // Code-unit order: upper case before lower case, ASCII before accents.
    const expected = [d('/m/B.go', 1, 1), d('/m/a.go', 1, 1), d('/m/z.go', 1, 1), d('/m/é.go', 1, 1)];
    expect(sortFindings(shuffled(expected, 5), '/m')).toEqual(expected);
  });

  it('puts run-wide notifications first, then by file and position', () => {
    const expected = [
      { level: 'note' as const, id: 'a', message: 'x' },
      { level: 'note' as const, id: 'b', message: 'x' },
      { level: 'error' as const, id: 'z', message: 'x', file: '/m/a.go' },
      { level: 'error' as const, id: 'a', message: 'x', file: '/m/a.go', span: span(2, 1, 2, 2) },
      { level: 'error' as const, id: 'a', message: 'x', file: '/m/a.go', span: span(10, 1, 10, 2) },
      { level: 'error' as const, id: 'a', message: 'x', file: '/m/b.go', span: span(1, 1, 1, 2) },
    ];
    for (let seed = 1; seed <= 10; seed++) expect(sortNotifications(shuffled(expected, seed), '/m')).toEqual(expected);
  });
});

describe('markdownToText', () => {
  it('keeps the words and drops the marks', () => {
    expect(markdownToText(RULES[0].helpMarkdown)).toBe(
      'int-overflow-32bit\n\nUse int64 for values above 2^31-1. See the spec (https://go.dev/ref/spec#Numeric_types).',
    );
    expect(markdownToText('a_b_c and x*y*z stay')).toBe('a_b_c and x*y*z stay');
  });
});
