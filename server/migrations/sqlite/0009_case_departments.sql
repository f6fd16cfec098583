-- Case departments (lead and assisting) in a table of their own: "the
-- cases of a department" is an indexed lookup, the same in both databases.
CREATE TABLE case_departments (
    case_id    TEXT NOT NULL REFERENCES cases(id) ON DELETE CASCADE,
    department TEXT NOT NULL,
    PRIMARY KEY (case_id, department)
) WITHOUT ROWID;
CREATE INDEX case_departments_by_department ON case_departments (department);
-- `departments` held ",lead,assisting,": split it.
WITH RECURSIVE split(case_id, rest, department) AS (
    SELECT id, substr(departments, 2), NULL FROM cases
    UNION ALL
    SELECT case_id, substr(rest, instr(rest, ',') + 1), substr(rest, 1, instr(rest, ',') - 1)
    FROM split WHERE instr(rest, ',') > 0
)
INSERT OR IGNORE INTO case_departments (case_id, department)
SELECT case_id, department FROM split WHERE department <> '';
ALTER TABLE cases DROP COLUMN departments;
