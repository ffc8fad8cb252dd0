// --help and the README against the code: every command answers --help with its
// exit codes, the README's commands table names every command main.ts dispatches,
// and no help text lives outside src/cli/usage.ts.
import t from 'tap';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { REPO_ROOT, runCli } from '../../helpers/cli.js';
import { COMMAND_NAMES } from '../../../src/cli/main.js';
import { MAIN_HELP } from '../../../src/cli/usage.js';
import { ExitCodes } from '../../../src/errors.js';

const ALL_EXIT_CODES = Object.values(ExitCodes);
/** The long-running commands stop on signals within a deadline: 3 and 130 apply. */
const SERVICES = new Set(['run', 'agent', 'writer']);

/** The codes an "Exit codes:" block lists, one per line ("  3    the shutdown ..."). */
function listedExitCodes(help: string): number[] {
  const at = help.indexOf('\nExit codes:\n');
  if (at < 0) return [];
  const codes: number[] = [];
  for (const line of help.slice(at + '\nExit codes:\n'.length).split('\n')) {
    const m = /^ {2}(\d+) {2,}\S/.exec(line);
    if (m) codes.push(Number(m[1]));
    else if (!line.startsWith('   ')) break;
  }
  return codes;
}

t.test('the CLI dispatches the six documented commands', async (t) => {
  t.same([...COMMAND_NAMES].sort(), ['agent', 'check', 'parse', 'run', 'status', 'writer']);
});

t.test('logpod --help lists every command and every exit code', async (t) => {
  const res = await runCli(['--help']);
  t.equal(res.code, 0);
  t.equal(res.stdout, MAIN_HELP);
  for (const name of COMMAND_NAMES) t.match(res.stdout, new RegExp(`^  ${name} `, 'm'), name);
  t.same(listedExitCodes(res.stdout), ALL_EXIT_CODES);
});

for (const name of COMMAND_NAMES) {
  t.test(`logpod ${name} --help lists its exit codes`, async (t) => {
    const res = await runCli([name, '--help']);
    t.equal(res.code, 0, res.stderr);
    t.match(res.stdout, new RegExp(`^Usage: logpod ${name} `));
    const codes = listedExitCodes(res.stdout);
    for (const code of codes) t.ok(ALL_EXIT_CODES.includes(code as never), `${code} is documented`);
    t.ok(codes.includes(ExitCodes.OK) && codes.includes(ExitCodes.CONFIG), '0 and 2 at least');
    if (SERVICES.has(name)) t.same(codes, ALL_EXIT_CODES, 'a service lists 0, 1, 2, 3 and 130');
  });
}

t.test("the README's commands table names every command, and only those", async (t) => {
  const readme = readFileSync(join(REPO_ROOT, 'README.md'), 'utf8');
  const section = readme.slice(readme.indexOf('\n### Commands\n'));
  const table = section.slice(0, section.indexOf('\n#', 2));
  const named = [...table.matchAll(/^\| `logpod (\w+)`/gm)].map((m) => m[1]);
  t.same([...named].sort(), [...COMMAND_NAMES].sort());
});

t.test("the README's exit code table lists every exit code", async (t) => {
  const readme = readFileSync(join(REPO_ROOT, 'README.md'), 'utf8');
  const section = readme.slice(readme.indexOf('\n### Exit codes\n'));
  const rows = [...section.matchAll(/^\| (\d+) +\|/gm)].map((m) => Number(m[1]));
  t.same(rows, ALL_EXIT_CODES);
});

t.test('help texts live in src/cli/usage.ts only', async (t) => {
  const dir = join(REPO_ROOT, 'src', 'cli');
  for (const file of readdirSync(dir)) {
    if (file === 'usage.ts' || !file.endsWith('.ts')) continue;
    t.notMatch(readFileSync(join(dir, file), 'utf8'), /Usage: logpod/, file);
  }
});
