import type { TrainResult } from '../client/train-client.ts';
import { count } from './format.ts';
import { LossCurve } from './loss-curve.tsx';

const MODEL_NAMES = { gbdt: 'GBDT', rf: 'Random forest', logistic: 'Logistic regression' } as const;
/** Class names that mean "nothing to see"; every other class is a threat whose recall leads the card. */
const BENIGN = /^(benign|normal|legit(imate)?|clean|good|allow(ed)?|background|0|false|no)$/i;
const PARAM_NAMES: Record<string, string> = {
  rounds: 'rounds',
  trees: 'trees',
  maxDepth: 'depth',
  learningRate: 'learning rate',
  c: 'C',
  maxIterations: 'max iterations',
  seed: 'seed',
};

const fixed = (v: number | null | undefined, digits = 3) => (v === null || v === undefined || !Number.isFinite(v) ? '–' : v.toFixed(digits));

function Metric({ label, value, note }: { label: string; value: string; note?: string }) {
  return (
    <div className="card">
      <div className="card-label">{label}</div>
      <div className="card-value">{value}</div>
      {note && <div className="card-note">{note}</div>}
    </div>
  );
}

/** The evaluation on the held-out rows: threat recall first, then the usual scores, per class and the confusion matrix. */
export function TrainResultView({ result }: { result: TrainResult }) {
  const { metrics, classes } = result;
  const support = metrics.confusion.map((row) => row.reduce((a, b) => a + b, 0));
  const benign = classes.filter((c) => BENIGN.test(c));
  // Without a recognisably benign class (or with only such), every class is shown alike.
  const threats = benign.length > 0 && benign.length < classes.length ? classes.filter((c) => !benign.includes(c)) : [];
  const params = Object.entries(result.params)
    .filter(([k]) => k in PARAM_NAMES)
    .map(([k, v]) => `${PARAM_NAMES[k]} ${String(v)}`)
    .join(' · ');
  return (
    <section className="train-result" data-testid="train-result" data-model-id={result.modelId} data-device={result.device} data-accuracy={String(metrics.accuracy)} data-log-loss={String(metrics.log_loss)}>
      <h3>
        {MODEL_NAMES[result.model]} on <code>{result.label}</code>
        <span className="muted">
          {count(result.rows.train)} training rows · {count(result.rows.validation)} validation rows ({Math.round(result.validationShare * 100)} % held out, stratified)
          {result.rows.unlabelled > 0 && ` · ${count(result.rows.unlabelled)} unlabelled rows left out`}
          {params && ` · ${params}`}
        </span>
      </h3>
      {result.notice && (
        <p className="train-notice" data-testid="train-device-notice">
          {result.notice}
        </p>
      )}
      {threats.length > 0 && (
        <div className="threat-recall" data-testid="threat-recall">
          {threats.map((c) => {
            const k = classes.indexOf(c);
            return (
              <div key={c} className="threat">
                <div className="card-label">{c} caught (recall)</div>
                <div className="threat-value">{fixed(metrics.recall[c])}</div>
                <div className="card-note">
                  {count(metrics.confusion[k]![k]!)} of {count(support[k]!)} · precision {fixed(metrics.precision[c])}
                </div>
              </div>
            );
          })}
        </div>
      )}
      <div className="cards">
        <Metric label="device" value={result.device} note={`${result.features} features`} />
        <Metric label="fit" value={`${result.fitSeconds.toFixed(2)} s`} />
        <Metric label="accuracy" value={fixed(metrics.accuracy)} />
        <Metric label="macro-F1" value={fixed(metrics.macro_f1)} />
        <Metric label="ROC-AUC" value={fixed(metrics.roc_auc)} note={classes.length > 2 ? 'macro one-vs-rest' : undefined} />
        <Metric label="log loss" value={fixed(metrics.log_loss, 4)} />
      </div>
      <div className="two-up train-tables">
        <div>
          <h4>Per class</h4>
          <table className="grid" data-testid="train-per-class">
            <thead>
              <tr>
                <th>class</th>
                <th className="n">rows</th>
                <th className="n">recall</th>
                <th className="n">precision</th>
              </tr>
            </thead>
            <tbody>
              {classes.map((c, k) => (
                <tr key={c} className={threats.includes(c) ? 'threat-row' : undefined}>
                  <td>{c}</td>
                  <td className="n">{count(support[k]!)}</td>
                  <td className="n">{fixed(metrics.recall[c])}</td>
                  <td className="n">{fixed(metrics.precision[c])}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
        <div>
          <h4>Confusion matrix</h4>
          <table className="grid confusion" data-testid="train-confusion">
            <thead>
              <tr>
                <th>true ↓ / predicted →</th>
                {classes.map((c) => (
                  <th key={c} className="n">
                    {c}
                  </th>
                ))}
              </tr>
            </thead>
            <tbody>
              {classes.map((c, k) => (
                <tr key={c}>
                  <th>{c}</th>
                  {classes.map((p, j) => (
                    <td key={p} className={`n${j === k ? ' hit' : metrics.confusion[k]![j]! > 0 ? ' miss' : ''}`}>
                      {count(metrics.confusion[k]![j]!)}
                    </td>
                  ))}
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      </div>
      <LossCurve points={result.history} unit={result.unit} testId="train-history" />
    </section>
  );
}
