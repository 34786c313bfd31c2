import { IConstruct } from 'constructs';
import { AccessReport } from './model';
import { networkPathsOf } from './network';
import { rowsOf } from './rows';
import { constructOf, subjectsOf } from './subjects';
import { AppIndex } from '../../private/semantics/app-index';

/** The access review of a construct tree (an app after synthesis, or templates loaded with `CfnInclude`). */
export function buildAccessReport(root: IConstruct): AccessReport {
  // A new run: the indexes of an earlier report on the same tree may be stale.
  AppIndex.newRun();
  const principals = subjectsOf(root.node.root).map(s => ({
    id: s.id,
    type: s.type,
    ...constructOf(s.node),
    ...(s.name !== undefined ? { name: s.name } : {}),
    ...(s.unattached ? { unattached: true } : {}),
    rows: rowsOf(s),
  })).filter(p => p.rows.length > 0);
  return { formatVersion: 1, principals, networkPaths: networkPathsOf(AppIndex.of(root)) };
}
