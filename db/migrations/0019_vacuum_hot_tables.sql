-- Steps, documents and notifications are updated in place all day (a step goes from pending to
-- done, its document's version and state move with it, a notification is read), and each update
-- leaves a dead row version, and a dead entry in each index whose columns changed. PostgreSQL's
-- default vacuums a table once a fifth of its rows are dead: 935,000 of the country's 4.7 M steps.
-- Until then an approver's inbox read steps over every entry their earlier approvals left in the
-- inbox index's range for them: at national scale, after the bench's approvals, 222 buffers and
-- 0.32 ms for 16 pending steps; 19 buffers and 0.09 ms once vacuumed.
-- These tables are vacuumed after 10,000 changed rows, whatever their size, and with their
-- indexes: PostgreSQL otherwise skips the indexes when few of the table's pages hold dead rows,
-- and here the dead entries all sit where the inbox, the unread badge and the card read.
ALTER TABLE "document_steps" SET (autovacuum_vacuum_scale_factor = 0, autovacuum_vacuum_threshold = 10000, vacuum_index_cleanup = on);--> statement-breakpoint
ALTER TABLE "documents" SET (autovacuum_vacuum_scale_factor = 0, autovacuum_vacuum_threshold = 10000, vacuum_index_cleanup = on);--> statement-breakpoint
ALTER TABLE "notifications" SET (autovacuum_vacuum_scale_factor = 0, autovacuum_vacuum_threshold = 10000, vacuum_index_cleanup = on);
