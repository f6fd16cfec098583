-- Case departments (lead and assisting) in a table of their own: "the
-- cases of a department" is an indexed lookup, the same in both databases.
CREATE TABLE case_departments (
    case_id    TEXT NOT NULL REFERENCES cases (id) ON DELETE CASCADE,
    department TEXT NOT NULL,
    PRIMARY KEY (case_id, department)
);
CREATE INDEX case_departments_by_department ON case_departments (department);
-- `departments` held ",lead,assisting,": split it.
INSERT INTO case_departments (case_id, department)
SELECT id, department FROM cases, unnest(string_to_array(departments, ',')) AS department
WHERE department <> ''
ON CONFLICT DO NOTHING;
ALTER TABLE cases DROP COLUMN departments;
-- The audit triggers named as in SQLite (TRUNCATE, which SQLite lacks,
-- keeps its own).
DROP TRIGGER audit_no_change ON audit;
CREATE TRIGGER audit_no_update BEFORE UPDATE ON audit
    FOR EACH ROW EXECUTE FUNCTION audit_append_only();
CREATE TRIGGER audit_no_delete BEFORE DELETE ON audit
    FOR EACH ROW EXECUTE FUNCTION audit_append_only();
