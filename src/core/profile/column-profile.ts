import type { Field, Vector } from 'apache-arrow';
import { columnKind } from '../table/column-kind.ts';
import { numericValues } from '../table/numeric-values.ts';
import { distinctAndMode, finiteSorted, histogram, numericStats } from './numeric-stats.ts';
import type { ColumnProfile } from './types.ts';
import { sortedValueCounts, textValueCounts } from './value-counts.ts';

const TOP_VALUES = 20;
/** Share of the most common value above which a column is near-constant. */
export const NEAR_CONSTANT_SHARE = 0.99;

export interface ProfiledColumn {
  profile: ColumnProfile;
  /** Numeric data kept for correlations (numeric and boolean columns only). */
  numeric?: { values: Float64Array; valid: Uint8Array };
}

export function profileColumn(field: Field, vector: Vector): ProfiledColumn {
  const kind = columnKind(field.type);
  const missing = vector.nullCount;
  const present = vector.length - missing;
  const base = { name: field.name, kind, arrowType: String(field.type), missing };
  if (kind === 'string') {
    const counts = textValueCounts(vector);
    const top = counts.slice(0, TOP_VALUES);
    const modeCount = counts[0]?.count ?? 0;
    return {
      profile: {
        ...base,
        distinct: counts.length,
        top,
        constant: counts.length <= 1,
        nearConstant: counts.length > 1 && modeCount >= NEAR_CONSTANT_SHARE * present,
      },
    };
  }
  const { values, valid } = numericValues(vector);
  const { sorted, ...nonFinite } = finiteSorted(values, valid);
  const { distinct: finiteDistinct, modeCount } = distinctAndMode(sorted);
  const distinct = finiteDistinct + (nonFinite.nan > 0 ? 1 : 0) + (nonFinite.posInf > 0 ? 1 : 0) + (nonFinite.negInf > 0 ? 1 : 0);
  const format = kind === 'timestamp' ? (v: number) => new Date(v).toISOString() : kind === 'bool' ? (v: number) => String(v === 1) : String;
  const profile: ColumnProfile = {
    ...base,
    distinct,
    stats: numericStats(sorted, nonFinite),
    histogram: histogram(sorted, kind === 'int' || kind === 'bool'),
    constant: distinct <= 1,
    nearConstant: distinct > 1 && modeCount >= NEAR_CONSTANT_SHARE * present,
  };
  if (distinct <= TOP_VALUES || kind === 'bool') profile.top = sortedValueCounts(sorted, format).slice(0, TOP_VALUES);
  return { profile, numeric: kind === 'timestamp' ? undefined : { values, valid } };
}
