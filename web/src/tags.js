// Element Plus tag types for registry statuses, so every page colours a
// status the same way.
export const TALENT_STATUS_TYPE = {
  prospect: 'info',
  in_contact: 'warning',
  landed: 'success',
  serving: 'primary',
  left: 'danger',
};
