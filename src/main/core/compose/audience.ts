// Turns an audience filter into SQL over the app's subscriptions. Active, not deleted subscriptions only:
// expired ones never receive anything.
import type { AudienceFilter } from '../../../shared/compose.ts';

export interface AudienceSql {
  /** A WHERE clause over `subscriptions s`. */
  where: string;
  params: unknown[];
}

export function audienceSql(appId: number, filter: AudienceFilter): AudienceSql {
  const clauses = ['s.app_id = ?', "s.status = 'active'", 's.deleted_at IS NULL'];
  const params: unknown[] = [appId];
  const tagSubquery =
    'SELECT st.subscription_id FROM subscription_tags st JOIN tags t ON t.id = st.tag_id WHERE t.app_id = ? AND t.name IN';
  const inList = (values: readonly unknown[]) => `(${values.map(() => '?').join(', ')})`;

  if (filter.tagsAny?.length) {
    clauses.push(`s.id IN (${tagSubquery} ${inList(filter.tagsAny)})`);
    params.push(appId, ...filter.tagsAny);
  }
  for (const tag of filter.tagsAll ?? []) {
    clauses.push(`s.id IN (${tagSubquery} (?))`);
    params.push(appId, tag);
  }
  if (filter.tagsNone?.length) {
    clauses.push(`s.id NOT IN (${tagSubquery} ${inList(filter.tagsNone)})`);
    params.push(appId, ...filter.tagsNone);
  }
  if (filter.pushServices?.length) {
    clauses.push(`s.push_service IN ${inList(filter.pushServices)}`);
    params.push(...filter.pushServices);
  }
  if (filter.endpoints?.length) {
    clauses.push(`s.endpoint IN ${inList(filter.endpoints)}`);
    params.push(...filter.endpoints);
  }
  if (filter.subscriptionIds?.length) {
    clauses.push(`s.id IN ${inList(filter.subscriptionIds)}`);
    params.push(...filter.subscriptionIds);
  }
  const range = (column: string, from: number | undefined, to: number | undefined) => {
    if (from !== undefined) {
      clauses.push(`${column} >= ?`);
      params.push(from);
    }
    if (to !== undefined) {
      clauses.push(`${column} < ?`);
      params.push(to);
    }
  };
  range('s.created_at', filter.createdFrom, filter.createdTo);
  range('s.last_success_at', filter.lastSuccessFrom, filter.lastSuccessTo);
  return { where: clauses.join(' AND '), params };
}
