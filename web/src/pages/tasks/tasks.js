// The inbox rules the page applies to the tasks of GET /api/v1/tasks: when
// a task counts as old, and which links a row may open (only paths inside
// the UI: a task's link comes from data and must never lead off the site).

export const OLD_AFTER_DAYS = 7;

/** An open task waiting longer than OLD_AFTER_DAYS, or past its due date. */
export function isOld(task, today) {
  if (task.status !== 'open') return false;
  if (task.due_on && today && task.due_on < today) return true;
  return Number(task.age_days) > OLD_AFTER_DAYS;
}

/** The link as a router path when it is one ('/talents/duplicates?talent=12'), else null. */
export function routerPath(link) {
  if (typeof link !== 'string' || !link.startsWith('/') || link.startsWith('//') || link.includes('\\')) return null;
  if (link.startsWith('/api/')) return null;
  return link;
}

/** The page's filters → the query of GET /api/v1/tasks. */
export function tasksQuery(f) {
  const q = { status: f.status === 'closed' ? 'closed' : 'open' };
  if (f.kind) q.kind = f.kind;
  const n = Number(f.older_than_days);
  if (f.older_than_days !== '' && f.older_than_days !== null && f.older_than_days !== undefined && Number.isInteger(n) && n >= 0 && n <= 3650)
    q.older_than_days = n;
  return q;
}
