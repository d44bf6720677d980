-- Retention (issue 14, item 5): how many days a lead shown the bank keeps its answers,
-- attribution and contact, from the bank's tenant file (`[bank] retention_days`, 1–3650);
-- NULL: the default, 365 (inflow_core::tenant::DEFAULT_RETENTION_DAYS). The scheduled job
-- erases a lead past the shortest retention of the banks it was shown (edge/src/erasure.rs).
ALTER TABLE banks ADD COLUMN retention_days INTEGER CHECK (retention_days BETWEEN 1 AND 3650);

-- The job reads the oldest leads not yet erased.
CREATE INDEX leads_unerased_by_time ON leads (created_at) WHERE erased_at IS NULL;
