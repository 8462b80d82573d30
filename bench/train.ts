/**
 * `npm run bench` (second part): training quality and speed beside XGBoost / scikit-learn
 * (../shared/bench/peers.py) on the same files in the same run. Same hyper-parameters: 100 rounds,
 * depth 6, 256 bins, lr 0.1; peers on 2 threads. Sets: NSL-KDD as normal vs attack with its own
 * test file (difficulty dropped), and CIC-IDS-2017 7-class with a seeded stratified 80/20 split.
 * Only the CPU path exists so far (gbdt, rf, logistic); the table says so.
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createRandom } from '../src/core/models/random.ts';

const here = (p: string) => new URL(p, import.meta.url).pathname;
const DATA = here('../../shared/datasets/');
const OUT = here('./out/train/');
mkdirSync(OUT, { recursive: true });

const lines = (path: string) => readFileSync(path, 'utf8').trimEnd().split(/\r?\n/);
const write = (name: string, rows: string[]) => {
  writeFileSync(`${OUT}${name}`, `${rows.join('\n')}\n`);
  return `${OUT}${name}`;
};

/** NSL-KDD with label → normal / attack and the difficulty column dropped (the files have no quotes). */
function nslBinary(file: string, name: string): string {
  const [head, ...rows] = lines(`${DATA}nsl-kdd/${file}`);
  const cols = head!.split(',');
  const label = cols.indexOf('label');
  const drop = cols.indexOf('difficulty');
  const fix = (r: string[]) => r.filter((_, i) => i !== drop);
  return write(name, [fix(cols).join(','), ...rows.map((l) => {
    const r = l.split(',');
    r[label] = r[label] === 'normal' ? 'normal' : 'attack';
    return fix(r).join(',');
  })]);
}

/** A seeded stratified split of a file whose label is column `label`. */
function stratified(file: string, label: string, name: string): [string, string] {
  const [head, ...rows] = lines(file);
  const at = head!.split(',').indexOf(label);
  const byClass = new Map<string, string[]>();
  for (const r of rows) {
    const c = r.split(',')[at]!;
    byClass.set(c, [...(byClass.get(c) ?? []), r]);
  }
  const random = createRandom(2017);
  const train: string[] = [];
  const test: string[] = [];
  for (const group of byClass.values()) {
    for (let i = group.length - 1; i > 0; i--) {
      const j = Math.floor(random.next() * (i + 1));
      [group[i], group[j]] = [group[j]!, group[i]!];
    }
    const cut = Math.round(group.length * 0.8);
    train.push(...group.slice(0, cut));
    test.push(...group.slice(cut));
  }
  return [write(`${name}-train.csv`, [head!, ...train]), write(`${name}-test.csv`, [head!, ...test])];
}

const sets = [
  { name: 'NSL-KDD binary', train: nslBinary('KDDTrain+_20Percent.csv', 'nsl-train.csv'), test: nslBinary('KDDTest+.csv', 'nsl-test.csv'), label: 'label' },
  (() => {
    const [train, test] = stratified(`${DATA}cicids2017/CICIDS2017-sample-7class.csv`, 'Label', 'cic');
    return { name: 'CIC-IDS-2017 7-class', train, test, label: 'Label' };
  })(),
];

const HYPER = ['--rounds', '100', '--trees', '100', '--depth', '6', '--bins', '256', '--lr', '0.1'];
const MODELS = [
  { model: 'gbdt', peer: 'xgboost-hist', goal: 1.0 },
  { model: 'rf', peer: 'sklearn-rf', goal: 0.5 },
  { model: 'logistic', peer: 'sklearn-logistic', goal: 1.0 },
];
const bin = here('../bin/workbench.mjs');
console.log('\nTraining: 100 rounds / 100 trees, depth 6, 256 bins, lr 0.1 (ours: cpu, one thread; peers: 2 threads)');
console.log('set                    model     ours fit s  peer fit s  ours/peer (goal)  ours F1  peer F1  ours AUC  peer AUC  peer');
const results = [];
const f = (x: number | null | undefined, d = 3) => (x === null || x === undefined ? '—' : x.toFixed(d));
for (const set of sets) {
  for (const { model, peer, goal } of MODELS) {
    const out = `${OUT}${set.name.replace(/\W+/g, '-')}-${model}`;
    execFileSync(process.execPath, [bin, 'train', '--train', set.train, '--test', set.test, '--label', set.label, '--model', model, ...HYPER, '--out', out], { stdio: ['ignore', 'ignore', 'inherit'] });
    const ours = JSON.parse(readFileSync(`${out}/metrics.json`, 'utf8'));
    const peerLines = execFileSync('/usr/bin/python3', [here('../../shared/bench/peers.py'), '--train', set.train, '--test', set.test, '--label', set.label, '--model', model, ...HYPER, '--threads', '2', '--repeat', '1'], { encoding: 'utf8' });
    const them = peerLines.trim().split('\n').map((l) => JSON.parse(l)).find((p) => p.peer === peer);
    results.push({ set: set.name, model, ours: { fit_s: ours.fit_seconds, macro_f1: ours.test.macro_f1, roc_auc: ours.test.roc_auc, recall: ours.test.recall }, peer: them });
    const ratio = them ? ours.fit_seconds / them.fit_s_median : null;
    console.log(
      `${set.name.padEnd(22)} ${model.padEnd(8)}  ${f(ours.fit_seconds, 2).padStart(10)}  ${f(them?.fit_s_median, 2).padStart(10)}  ${`${f(ratio, 2)} (≤ ${goal})`.padStart(16)}  ${f(ours.test.macro_f1).padStart(7)}  ${f(them?.macro_f1).padStart(7)}  ${f(ours.test.roc_auc).padStart(8)}  ${f(them?.roc_auc).padStart(8)}  ${peer}`,
    );
  }
}
writeFileSync(here('./out/train.json'), JSON.stringify(results, null, 2));
console.log('goals: macro-F1 within 0.01 and ROC-AUC within 0.005 of the best peer. The WebGPU path is not built yet.');
