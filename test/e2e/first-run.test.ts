import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../helpers/cli.js';
import { kill, spawnMedic } from '../helpers/process.js';

/**
 * A new user's first minutes, as the README's Quick start has them: `npm start` (the demo) in a fresh
 * folder, then, in another terminal in the same folder and with no medic.yaml, `medic dashboard` and the
 * other read commands. They read the demo's data and say so in one line; with no demo either, one line
 * says what to do.
 */
describe('the first run: read commands in the demo’s folder', () => {
  const home = process.cwd();
  let dir: string;
  let demo: ReturnType<typeof spawnMedic>;
  const folders: string[] = [];
  const fresh = (name: string) => {
    const d = mkdtempSync(path.join(tmpdir(), name));
    folders.push(d);
    return d;
  };
  const notice = (d: string) => `no medic.yaml in ${d}: reading the demo's data (data/demo-medic.yaml)\n`;
  // The commands run where the user is: this folder, not the repository.
  const inFolder = async (folder: string, args: string[]) => {
    process.chdir(folder);
    try {
      return await runCli(args);
    } finally {
      process.chdir(home);
    }
  };

  beforeAll(async () => {
    dir = fresh('medic-first-run-');
    demo = spawnMedic(['start', '--port', '0'], { cwd: dir });
    await demo.waitFor('Medic demo', 30_000);
  }, 40_000);
  afterAll(async () => {
    if (demo) {
      kill(demo.child, 'SIGTERM');
      await demo.exited;
    }
    for (const d of folders) rmSync(d, { recursive: true, force: true });
  });
  afterEach(() => process.chdir(home));

  it('every read command reads the running demo’s data with no medic.yaml, says so on stderr and exits 0', async () => {
    // The demo's first fault opens an incident within a minute of the start.
    let id: number | undefined;
    const until = Date.now() + 90_000;
    while (id === undefined && Date.now() < until) {
      const r = await inFolder(dir, ['incidents', '--json']);
      expect(r.code, r.stderr).toBe(0);
      id = JSON.parse(r.stdout).incidents[0]?.id;
      if (id === undefined) await new Promise((res) => setTimeout(res, 1000));
    }
    expect(id, `no incident in the demo; its output:\n${demo.output()}`).toBeDefined();

    const expected: [string[], RegExp][] = [
      [['incidents'], new RegExp(`^#${id}\\s+P\\d\\s+\\S+\\s+(checkout|payments|storefront)`)],
      [['incident', 'show', String(id)], new RegExp(`^Incident #${id} \\[P\\d\\][\\s\\S]*Timeline\\n[\\s\\S]*incident opened`)],
      [['report'], /^MTTR by month \(UTC, by detection time/],
      [['coverage'], /^Alert coverage by failure mode[\s\S]*checkout[\s\S]*payments[\s\S]*storefront/],
      [['flags', 'list'], /^KEY\s+STATE[\s\S]*new_checkout_flow\s+(on|off)/],
      [['postmortem', String(id)], new RegExp(`^# Postmortem: .* \\(#${id}\\)`)],
      [['dashboard', '--once'], /^Medic command center · last 5m vs the 5m before · sqlite \S+\/data\/medic\.db[\s\S]*Active incidents/],
    ];
    for (const [args, stdout] of expected) {
      const r = await inFolder(dir, args);
      expect(r.code, `medic ${args.join(' ')}: ${r.stderr}`).toBe(0);
      expect(r.stderr, `medic ${args.join(' ')}`).toBe(notice(dir));
      expect(r.stdout, `medic ${args.join(' ')}`).toMatch(stdout);
    }
    // One run of one of the demo's monitors: 0 if the shop passed it, 1 while a fault breaks it.
    const run = await inFolder(dir, ['run', 'Storefront speed']);
    expect([0, 1], run.stderr).toContain(run.code);
    expect(run.stderr).toBe(notice(dir));
    expect(run.stdout).toMatch(/Storefront speed/);
  }, 150_000);

  it('a command that records something asks for -c instead of writing to the demo unasked', async () => {
    const r = await inFolder(dir, ['deploy', 'checkout', 'v9']);
    expect(r).toMatchObject({ code: 2, stdout: '' });
    expect(r.stderr).toBe(`no medic.yaml in ${dir}: give -c <config file> (for the demo's data: -c data/demo-medic.yaml)\n`);
    const withDemo = await inFolder(dir, ['deploy', 'checkout', 'v9', '-c', 'data/demo-medic.yaml']);
    expect(withDemo.code, withDemo.stderr).toBe(0);
  });

  it('with neither a medic.yaml nor a demo, one line says what to do (exit 2)', async () => {
    const empty = fresh('medic-empty-');
    for (const args of [['dashboard', '--once'], ['incidents'], ['report'], ['flags', 'list'], ['deploy', 'checkout', 'v1']]) {
      const r = await inFolder(empty, args);
      expect(r, args.join(' ')).toEqual({
        code: 2,
        stdout: '',
        stderr: `no medic.yaml in ${empty} and no demo data (./data/demo-medic.yaml): give -c <config file>, or run "medic start" in this folder to start the demo\n`,
      });
    }
  });
});
