import { existsSync, readFileSync } from 'node:fs';
import { basename, resolve } from 'node:path';
import type { LoadRequest } from '../workers/data-api.ts';
import { UsageError, type ParsedArgs } from './args.ts';
import { formatProfile } from './format-profile.ts';
import { proxy, startDataWorker } from './node-worker.ts';
import { progressLine } from './progress-line.ts';

export const PROFILE_HELP = `workbench profile FILE [options]
  Loads a CSV, CSV.gz or Parquet file in a worker thread and profiles it.
  --label COL        the label column (default: guessed from names such as label, class, attack_cat)
  --no-label         profile without a label
  --names FILE|a,b   column names: a comma-separated list, or a file holding one
  --header yes|no    whether the first row is a header (default: sniffed)
  --delimiter X      the field delimiter (default: sniffed among , ; tab |); "tab" for a tab
  --json             print one JSON document {report, profile} instead of the summary`;

export async function profileCommand(args: ParsedArgs): Promise<number> {
  const [path, ...extra] = args.positionals;
  if (!path || extra.length) throw new UsageError('profile takes one FILE');
  if (!existsSync(path)) throw new UsageError(`${path}: no such file`);
  const request = loadRequest(args);
  const label = args.flags.has('no-label') ? null : (args.flags.get('label') as string | undefined);
  const { api, close } = startDataWorker();
  const progress = progressLine(basename(path));
  try {
    const loaded = await api.load(resolve(path), basename(path), request, proxy(progress.update));
    const profile = await api.profile(loaded.id, label, proxy(progress.update));
    progress.done();
    if (label && !profile.label) throw new UsageError(`${basename(path)}: no column "${label}" (columns: ${loaded.report.columnNames.slice(0, 12).join(', ')}${loaded.report.columns > 12 ? ', …' : ''})`);
    process.stdout.write(args.flags.has('json') ? `${JSON.stringify({ report: loaded.report, profile }, jsonSafe)}\n` : `${formatProfile(loaded.report, profile)}\n`);
    return 0;
  } finally {
    progress.done();
    await close();
  }
}

/** Options shared by every command that loads a file. */
export function loadRequest(args: ParsedArgs): LoadRequest {
  const request: LoadRequest = {};
  const names = args.flags.get('names');
  if (typeof names === 'string') {
    const text = !names.includes(',') && existsSync(names) ? readFileSync(names, 'utf8') : names;
    request.names = text.split(/[,\r\n]+/).map((s) => s.trim()).filter(Boolean);
  }
  const header = args.flags.get('header');
  if (header !== undefined) {
    if (header !== 'yes' && header !== 'no') throw new UsageError('--header takes yes or no');
    request.header = header === 'yes';
  }
  const delimiter = args.flags.get('delimiter');
  if (typeof delimiter === 'string') {
    const d = delimiter === 'tab' || delimiter === '\\t' ? '\t' : delimiter;
    if (d.length !== 1) throw new UsageError('--delimiter takes one character (or "tab")');
    request.delimiter = d;
  }
  return request;
}

/** NaN and ±Infinity have no JSON form; they are written as null (JSON readers see "no value"). */
function jsonSafe(_key: string, value: unknown): unknown {
  return typeof value === 'number' && !Number.isFinite(value) ? null : value;
}
