-- Reports (issue 18): what lets each report's queries run from an index,
-- and the views of their figures for the reporting role (BI tools). The
-- views hold counts by group and month, never a personal code or a name.

-- The IMK take-up report (¶26.4) reads the applications of a period: a
-- range of this index, whatever their state (imk_applications_queue_idx
-- leads with the state).
CREATE INDEX imk_applications_applied_idx ON imk_applications (applied_at);

-- The compliance report counts the persons whose ¶32.8 check completed in
-- a period: a range of this index.
CREATE INDEX persons_death_checked_idx ON persons (last_death_check_at) WHERE last_death_check_at IS NOT NULL;

-- The age band of an age in years, as the reports group by it (ESF+
-- indicators' bands); '' when the birth date is unknown.
CREATE FUNCTION report_age_band(birth date, on_day date) RETURNS text
LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
    SELECT CASE
        WHEN birth IS NULL THEN ''
        WHEN age(on_day, birth) < interval '18 years' THEN '0-17'
        WHEN age(on_day, birth) < interval '25 years' THEN '18-24'
        WHEN age(on_day, birth) < interval '35 years' THEN '25-34'
        WHEN age(on_day, birth) < interval '45 years' THEN '35-44'
        WHEN age(on_day, birth) < interval '55 years' THEN '45-54'
        WHEN age(on_day, birth) < interval '65 years' THEN '55-64'
        ELSE '65+'
    END
$$;

-- IMK applications by month of application and priority group (¶26.4):
-- one row per month, dimension (lki, age_band, municipality) and group,
-- with the outcomes; rejections split by who decided (the automatic check:
-- decided_by NULL). An application closed or suspended was approved first.
CREATE VIEW reporting.imk_uptake_monthly AS
WITH a AS (
    SELECT date_trunc('month', a.applied_at AT TIME ZONE 'Europe/Riga')::date AS month,
           a.state, a.decided_by IS NULL AS automatic,
           coalesce(e.highest_lki::text, '') AS lki,
           public.report_age_band(p.birth_date, (a.applied_at AT TIME ZONE 'Europe/Riga')::date) AS age_band,
           coalesce(m.name, p.municipality, '') AS municipality
      FROM public.imk_applications a
      LEFT JOIN public.population_register p ON p.personal_code = a.personal_code
      LEFT JOIN public.education_register e ON e.personal_code = a.personal_code
      LEFT JOIN public.municipalities m ON m.code = p.municipality
)
SELECT month,
       CASE WHEN GROUPING(lki) = 0 THEN 'lki' WHEN GROUPING(age_band) = 0 THEN 'age_band' ELSE 'municipality' END AS dimension,
       coalesce(CASE WHEN GROUPING(lki) = 0 THEN lki WHEN GROUPING(age_band) = 0 THEN age_band ELSE municipality END, '') AS grp,
       count(*) AS applications,
       count(*) FILTER (WHERE state IN ('approved', 'suspended', 'closed')) AS approved,
       count(*) FILTER (WHERE state = 'rejected' AND automatic) AS rejected_automatic,
       count(*) FILTER (WHERE state = 'rejected' AND NOT automatic) AS rejected_manual
  FROM a
 GROUP BY GROUPING SETS ((month, lki), (month, age_band), (month, municipality));

-- The adult population (alive, resident, 18 or older on as_of) of the
-- Population Register mirror by the take-up report's groups: the
-- denominators of its shares, precomputed because counting a million
-- persons' groups takes seconds. storage/report.go recomputes it when a
-- population or education extract was imported after it, or when it is
-- older than 30 days; the report says the date it holds.
CREATE TABLE report_population (
    dimension text   NOT NULL,
    grp       text   NOT NULL,
    adults    bigint NOT NULL,
    PRIMARY KEY (dimension, grp),
    CONSTRAINT report_population_dimension_known CHECK (dimension IN ('lki', 'age_band', 'municipality'))
);

CREATE TABLE report_population_state (
    id           boolean     PRIMARY KEY DEFAULT true CHECK (id),  -- exactly one row
    as_of        date        NOT NULL,
    refreshed_at timestamptz NOT NULL
);

COMMENT ON TABLE report_population IS 'The adult population of the Population Register mirror by LKI, age band and municipality, as of report_population_state.as_of (issue 18 reports).';

CREATE VIEW reporting.adult_population_groups AS
SELECT p.dimension, p.grp, p.adults, s.as_of
  FROM public.report_population p CROSS JOIN public.report_population_state s;

-- The ¶32.8 death check of the living persons: how many by the outcome
-- of their last attempt, and how many are overdue now.
CREATE VIEW reporting.death_check_status AS
SELECT CASE death_check_outcome WHEN '' THEN 'never' ELSE death_check_outcome END AS outcome,
       count(*) AS persons,
       count(*) FILTER (WHERE death_check_due_at < now()) AS overdue
  FROM public.persons
 WHERE deceased_on IS NULL
 GROUP BY 1;

-- Acceptance of the terms in force (¶26.2) by Platform role: the users
-- holding the role now, and how many of them accepted the version in force.
CREATE VIEW reporting.terms_acceptance_by_role AS
WITH v AS (SELECT id FROM public.terms_versions WHERE state = 'published'),
     holders AS (
    SELECT DISTINCT r.role, r.user_id
      FROM public.role_assignments r
     WHERE r.ended_at IS NULL AND r.valid_from <= now() AND r.valid_until > now()
)
SELECT h.role,
       count(*) AS holders,
       count(t.user_id) AS accepted
  FROM holders h
  LEFT JOIN public.terms_acceptances t ON t.user_id = h.user_id AND t.version_id = (SELECT id FROM v)
 GROUP BY h.role;

-- Active institutions and their re-verification (issue 17): overdue now,
-- due within 30 days.
CREATE VIEW reporting.institution_reverification AS
SELECT count(*) AS active,
       count(*) FILTER (WHERE reverify_due_at < now()) AS overdue,
       count(*) FILTER (WHERE reverify_due_at >= now() AND reverify_due_at < now() + interval '30 days') AS due_within_30_days
  FROM public.institutions
 WHERE state = 'active';

-- The queues report (issue 18): the Agency's target for deciding an item,
-- in working days (Monday–Friday; public holidays are not counted out),
-- per queue; the row '*' is the default for a queue without its own.
CREATE TABLE queue_targets (
    queue        text    PRIMARY KEY,
    working_days integer NOT NULL,
    CONSTRAINT queue_targets_days_positive CHECK (working_days BETWEEN 1 AND 100)
);

COMMENT ON TABLE queue_targets IS 'Policy data: the working days within which the Agency aims to decide an item of each queue (''*'': every other queue).';

INSERT INTO queue_targets (queue, working_days) VALUES ('*', 5);

-- The items decided in a period, a range of these.
CREATE INDEX role_requests_decided_idx ON role_requests (decided_at) WHERE decided_at IS NOT NULL;
CREATE INDEX imk_applications_decided_idx ON imk_applications (decided_at) WHERE decided_at IS NOT NULL;
CREATE INDEX role_requests_confirmed_idx ON role_requests (email_confirmed_at) WHERE email_confirmed_at IS NOT NULL;
CREATE INDEX tickets_created_idx ON tickets (created_at);
CREATE INDEX denials_lifted_idx ON denials (lifted_at) WHERE lifted_at IS NOT NULL;
