// Workflow resources (a recruitment order, a recommendation) carry
// `allowed_actions`: the actions the caller may take now, decided by the
// server from the state and the caller's roles. Pages draw a button for
// each action listed and for nothing else, so the state machine lives in
// one place (the server) and the UI cannot offer what would be refused.

/** The resource lists action among its allowed_actions. */
export function allows(resource, action) {
  return !!resource && Array.isArray(resource.allowed_actions) && resource.allowed_actions.includes(action);
}

/** The actions of the resource that are among `known`, in the order of `known` (the page's button order). */
export function allowedOf(resource, known) {
  return known.filter((a) => allows(resource, a));
}
