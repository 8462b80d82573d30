import { DataType } from 'apache-arrow';
import type { ColumnKind } from '../profile/types.ts';

/** The workbench's coarse kind of an Arrow type. */
export function columnKind(type: DataType): ColumnKind {
  if (DataType.isInt(type)) return 'int';
  if (DataType.isFloat(type) || DataType.isDecimal(type)) return 'float';
  if (DataType.isBool(type)) return 'bool';
  if (DataType.isTimestamp(type) || DataType.isDate(type)) return 'timestamp';
  return 'string';
}
