import { LoadError } from '../core/io/types.ts';
import { parseArgs, UsageError } from './args.ts';
import { PROFILE_HELP, profileCommand } from './profile-command.ts';
import { TRAIN_HELP, trainCommand } from './train-command.ts';

const HELP = `Threat Workbench — headless
Usage: workbench COMMAND [options]

Commands
  profile FILE     load a CSV / CSV.gz / Parquet file and print its profile
  train            train gradient-boosted trees on one file, evaluate on another
  help             this text

${PROFILE_HELP}

${TRAIN_HELP}`;

const VALUED = new Set(['label', 'names', 'header', 'delimiter', 'train', 'test', 'model', 'rounds', 'trees', 'depth', 'bins', 'lr', 'seed', 'device', 'out']);
const KNOWN = new Set([...VALUED, 'json', 'no-label', 'help']);

/** Runs one command; returns the exit code. Failures are one line on stderr, never a stack trace. */
export async function main(argv: string[]): Promise<number> {
  const [command, ...rest] = argv;
  try {
    if (!command || command === 'help' || command === '--help' || command === '-h') {
      process.stdout.write(`${HELP}\n`);
      return command ? 0 : 2;
    }
    const args = parseArgs(rest, VALUED, KNOWN);
    if (args.flags.has('help')) {
      process.stdout.write(`${HELP}\n`);
      return 0;
    }
    if (command === 'profile') return await profileCommand(args);
    if (command === 'train') return await trainCommand(args);
    throw new UsageError(`unknown command "${command}" (try: workbench --help)`);
  } catch (err) {
    process.stderr.write(`workbench: ${message(err)}\n`);
    return err instanceof UsageError ? 2 : 1;
  }
}

function message(err: unknown): string {
  if (err instanceof LoadError || err instanceof UsageError) return err.message;
  if (err instanceof Error) return err.message.split('\n')[0]!;
  return String(err);
}
