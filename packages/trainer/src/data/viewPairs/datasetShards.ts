import { optionName } from '@oxels/core';
import { type ShardProblem, validateDataset } from '@oxels/dataset';
import { TrainerError } from '../../errors.ts';

/** Options of `datasetShards`. */
export interface DatasetShardsOptions {
  /** Use the shards that pass instead of refusing an incomplete dataset (`--allow-partial`). */
  allowPartial: boolean;
  /** The check's one-line summary on a complete dataset. */
  onLog?: (message: string) => void;
  /** What `allowPartial` leaves out (or leaves unchecked). */
  onWarning?: (message: string) => void;
}

/** Problems listed in one message; the rest are counted. */
const LISTED = 10;

/** "shard-000004.tar (sha256 mismatch), shard-000006.tar (missing)", at most LISTED of them. */
function listProblems(problems: ShardProblem[]): string {
  const listed = problems.slice(0, LISTED).map((p) => `${p.name} (${p.problem})`);
  if (problems.length > LISTED) listed.push(`and ${problems.length - LISTED} more`);
  return listed.join(', ');
}

/**
 * The shards a run reads from the gen-scenes dataset `dir` (paths, in order), after validateDataset: all
 * of them when the dataset is complete. An incomplete one (a shard missing, truncated, changed or
 * malformed, a shard the manifest does not list, no manifest at all) is refused with one
 * TrainerError('BAD_DATA') naming each bad shard and what is wrong, unless `allowPartial`: then the
 * shards that pass are used and `onWarning` says how much is left out. No usable shard is always an error.
 */
export async function datasetShards(dir: string, options: DatasetShardsOptions): Promise<string[]> {
  const { allowPartial, onLog = () => {}, onWarning = () => {} } = options;
  const started = performance.now();
  const check = await validateDataset(dir);
  const seconds = ((performance.now() - started) / 1000).toFixed(1);
  const { manifest, problems, valid } = check;
  if (!manifest && !allowPartial) {
    throw new TrainerError(
      'BAD_DATA',
      `datasetShards: ${dir} has no manifest.json, so it is not a complete gen-scenes dataset (gen-scenes writes ` +
        'it last: the run is still going, was killed, or is one part of a split run); finish gen-scenes ' +
        `with the same flags, or pass ${optionName('allowPartial')} to use the shards that read completely`,
      dir,
    );
  }
  if (valid.length === 0) {
    throw new TrainerError(
      'BAD_DATA',
      `datasetShards: no usable shard in ${dir}: ${listProblems(problems)}`,
      dir,
    );
  }
  if (problems.length && !allowPartial) {
    throw new TrainerError(
      'BAD_DATA',
      `datasetShards: ${dir} is incomplete: ${listProblems(problems)}; delete the damaged shards and rerun ` +
        `gen-scenes with the same flags to write them again, or pass ${optionName('allowPartial')} to use the ${valid.length} valid shard${valid.length === 1 ? '' : 's'}`,
      problems[0].path,
    );
  }
  const n = (x: number) => x.toLocaleString('en');
  const expectedPairs = check.expectedPairs === null ? '' : ` of ${n(check.expectedPairs)}`;
  const using = `${valid.length} of ${check.expectedShards} shards (${n(check.validPairs)}${expectedPairs} pairs)`;
  if (!manifest) {
    onWarning(
      `${optionName('allowPartial')}: ${dir} has no manifest.json, so shard sizes, hashes and sample counts are unchecked; using ${using}` +
        (problems.length ? `; left out: ${listProblems(problems)}` : ''),
    );
  } else if (problems.length) {
    onWarning(`${optionName('allowPartial')}: using ${using}; left out: ${listProblems(problems)}`);
  } else {
    onLog(
      `data: ${dir}: ${valid.length} shards, ${n(check.validPairs)} pairs, checked against manifest.json (sizes, sha256, samples) in ${seconds} s`,
    );
  }
  return valid;
}
