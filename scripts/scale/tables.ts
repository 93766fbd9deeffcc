// The tables the scale seed bulk-loads, with their columns in COPY order (simulate.ts writes
// the fields in this order).
export const bulkTables = {
  documents: ['tenant_id', 'id', 'template_id', 'version_id', 'author_id', 'author_unit_id', 'state', 'values', 'computed', 'version', 'round', 'source_document_id', 'registry_number', 'registry_year', 'registry_class', 'registry_seq', 'registered_at', 'submitted_at', 'decided_at', 'created_at', 'updated_at'],
  document_steps: ['tenant_id', 'id', 'document_id', 'round', 'stage', 'step_key', 'kind', 'assignee_id', 'state', 'outcome', 'acted_by_id', 'on_behalf_of_id', 'comment', 'activated_at', 'due_at', 'acted_at', 'reminders_sent'],
  document_revisions: ['tenant_id', 'id', 'document_id', 'revision', 'values', 'author_id', 'reason', 'created_at'],
  document_attachments: ['tenant_id', 'id', 'document_id', 'field', 'file_name', 'content_type', 'size', 'sha256', 'content', 'uploaded_by_id', 'created_at'],
  notifications: ['tenant_id', 'id', 'recipient_id', 'kind', 'document_id', 'data', 'created_at', 'read_at'],
  audit_events: ['tenant_id', 'seq', 'occurred_at', 'actor_user_id', 'on_behalf_of_user_id', 'ip', 'user_agent', 'type', 'subject_type', 'subject_id', 'data', 'prev_hash', 'hash'],
} as const;

export type BulkTable = keyof typeof bulkTables;
export const bulkTableNames = Object.keys(bulkTables) as BulkTable[];
