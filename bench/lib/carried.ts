/** Provenance of the parts of a dataset entry that a run kept from earlier runs instead of measuring. */
import type { CarriedOrigin, DatasetResult } from './types.js';

/**
 * Where each carried part comes from: a part the earlier entry itself carried keeps its first origin
 * (its own run's commit), any other part comes from the earlier entry's run. Several origins can
 * stand side by side (models from one run, loop parts from another), each labelled with its commit.
 */
export function carriedFrom(prev: DatasetResult, parts: readonly string[]): CarriedOrigin[] {
  const origins: CarriedOrigin[] = [];
  const own = parts.filter((p) => !carriedOrigins(prev).some((o) => o.parts.includes(p)));
  if (own.length) origins.push({ parts: own, startedAt: prev.startedAt, commit: prev.commit, command: prev.command });
  for (const o of carriedOrigins(prev)) {
    const inherited = o.parts.filter((p) => parts.includes(p));
    if (inherited.length) origins.push({ ...o, parts: inherited });
  }
  return origins;
}

/** An entry's carried origins, whether written as a list or (older entries) as one object. */
export function carriedOrigins(d: Pick<DatasetResult, 'carried'>): CarriedOrigin[] {
  if (!d.carried) return [];
  return Array.isArray(d.carried) ? d.carried : [d.carried];
}
