#!/usr/bin/env node
// CI check of Electron's configuration with @doyensec/electronegativity: no finding above LOW,
// except the reviewed ones below (each with why it is safe). Works offline: the Electron version
// comes from the installed package, so no release list is fetched.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import process from 'node:process';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const bin = path.join(root, 'node_modules', '.bin', 'electronegativity');
const electronVersion = JSON.parse(fs.readFileSync(path.join(root, 'node_modules', 'electron', 'package.json'), 'utf8')).version;

/** Findings above LOW that a person reviewed: check id, file, and a piece of the flagged code. */
const REVIEWED = [
  {
    check: 'OPEN_EXTERNAL_JS_CHECK',
    file: 'main/security.ts',
    sample: 'shell.openExternal(url)',
    why: 'only reached for URLs that isAllowedExternalUrl accepts (http, https and mailto, checked by test/unit/electron); never file: or custom schemes',
  },
];

/** One run of the tool: its CSV text (exits when it did not run). */
function runOnce() {
  const out = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'berth-eneg-')), 'findings.csv');
  const r = spawnSync(bin, ['-i', path.join(root, 'electron'), '-e', electronVersion, '-r', '-v', 'false', '-o', out], {
    encoding: 'utf8',
    timeout: 300_000,
  });
  if (!fs.existsSync(out)) {
    process.stderr.write(`electronegativity did not run (status ${r.status}):\n${r.stderr}\n${r.stdout}\n`);
    process.exit(1);
  }
  const text = fs.readFileSync(out, 'utf8');
  fs.rmSync(path.dirname(out), { recursive: true, force: true });
  return text;
}

/** RFC 4180-ish CSV: quoted fields may hold commas and doubled quotes. */
function parseCsv(text) {
  const rows = [];
  let row = [];
  let field = '';
  let quoted = false;
  const endField = () => {
    row.push(field.trim());
    field = '';
  };
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') {
        field += '"';
        i++;
      } else if (c === '"') quoted = false;
      else field += c;
    } else if (c === '"') quoted = true;
    else if (c === ',') endField();
    else if (c === '\n') {
      endField();
      rows.push(row);
      row = [];
    } else if (c !== '\r') field += c;
  }
  if (field || row.length) {
    endField();
    rows.push(row);
  }
  return rows;
}

// The tool's CSV writer was seen (once, in a fresh clone) to leave a file whose rows do not have the header's fields: read
// it again from a new run rather than judge a garbled file; a file that stays garbled fails with its text.
let parsed = null;
let lastText = '';
for (let attempt = 1; attempt <= 3 && !parsed; attempt++) {
  lastText = runOnce();
  const all = parseCsv(lastText).filter((x) => x.length > 1);
  // Each row whole: the header's number of fields, a check id and a known severity (a cut row fails one of these).
  const whole = (x) => x.length === all[0].length && /^[A-Z_]+$/.test(x[0]) && /^(INFORMATIONAL|LOW|MEDIUM|HIGH|CRITICAL)$/.test(x[1]);
  if (all.length > 0 && all[0][0] === 'issue' && all.slice(1).every(whole)) parsed = all;
  else process.stderr.write(`electronegativity wrote a malformed CSV (run ${attempt} of 3)\n`);
}
if (!parsed) {
  process.stderr.write(`electronegativity's CSV could not be read:\n${lastText}\n`);
  process.exit(1);
}
const [header, ...rows] = parsed;
const col = (name) => header.findIndex((h) => h.trim() === name);
const [iIssue, iSev, iFile, iLoc, iSample] = ['issue', 'severity', 'filename', 'location', 'sample'].map(col);
const findings = rows.filter((x) => x.length > 1).map((x) => ({ check: x[iIssue], severity: x[iSev], file: x[iFile], location: x[iLoc], sample: x[iSample] }));
const above = findings.filter((f) => f.severity !== 'LOW' && f.severity !== 'INFORMATIONAL');
const reviewed = (f) => REVIEWED.some((r) => r.check === f.check && f.file.endsWith(r.file) && f.sample.includes(r.sample));
const open = above.filter((f) => !reviewed(f));

process.stdout.write(`electronegativity (Electron ${electronVersion}): ${findings.length} findings, ${above.length} above LOW, ${above.length - open.length} of them reviewed\n`);
for (const f of open) process.stdout.write(`  ${f.severity} ${f.check} ${f.file}:${f.location} ${f.sample}\n`);
process.exit(open.length ? 1 : 0);
