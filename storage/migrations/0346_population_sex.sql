-- The IMK take-up report by sex (issue 18, ¶26.4). Latvian personal codes
-- do not encode sex (the new 32xxxx-xxxxx form encodes nothing), so it
-- comes from the Population Register's extract (`ppp registers import
-- population`, an optional column sex). NULL: the register did not say.
ALTER TABLE population_register
    ADD COLUMN sex text,
    ADD CONSTRAINT population_register_sex_known CHECK (sex IN ('F', 'M'));

COMMENT ON COLUMN population_register.sex IS 'F or M as the Population Register extract gives it; NULL: unknown (an extract without the column keeps what the mirror holds).';

-- The view keeps its columns (CREATE OR REPLACE keeps its grants; the
-- report role's are granted again after every migration anyway) and
-- groups by sex too: 'f', 'm', '' unknown — the report's own groups.
CREATE OR REPLACE VIEW reporting.imk_uptake_monthly AS
WITH a AS (
    SELECT date_trunc('month', a.applied_at AT TIME ZONE 'Europe/Riga')::date AS month,
           a.state, a.decided_by IS NULL AS automatic,
           coalesce(e.highest_lki::text, '') AS lki,
           public.report_age_band(p.birth_date, (a.applied_at AT TIME ZONE 'Europe/Riga')::date) AS age_band,
           coalesce(m.name, p.municipality, '') AS municipality,
           lower(coalesce(p.sex, '')) AS sex
      FROM public.imk_applications a
      LEFT JOIN public.population_register p ON p.personal_code = a.personal_code
      LEFT JOIN public.education_register e ON e.personal_code = a.personal_code
      LEFT JOIN public.municipalities m ON m.code = p.municipality
)
SELECT month,
       CASE WHEN GROUPING(lki) = 0 THEN 'lki' WHEN GROUPING(age_band) = 0 THEN 'age_band'
            WHEN GROUPING(municipality) = 0 THEN 'municipality' ELSE 'sex' END AS dimension,
       coalesce(CASE WHEN GROUPING(lki) = 0 THEN lki WHEN GROUPING(age_band) = 0 THEN age_band
                     WHEN GROUPING(municipality) = 0 THEN municipality ELSE sex END, '') AS grp,
       count(*) AS applications,
       count(*) FILTER (WHERE state IN ('approved', 'suspended', 'closed')) AS approved,
       count(*) FILTER (WHERE state = 'rejected' AND automatic) AS rejected_automatic,
       count(*) FILTER (WHERE state = 'rejected' AND NOT automatic) AS rejected_manual
  FROM a
 GROUP BY GROUPING SETS ((month, lki), (month, age_band), (month, municipality), (month, sex));

ALTER TABLE report_population
    DROP CONSTRAINT report_population_dimension_known,
    ADD CONSTRAINT report_population_dimension_known CHECK (dimension IN ('lki', 'age_band', 'municipality', 'sex'));

COMMENT ON TABLE report_population IS 'The adult population of the Population Register mirror by LKI, age band, municipality and sex, as of report_population_state.as_of (issue 18 reports).';

-- The denominators precomputed before hold no sex: the next take-up report
-- recomputes them.
DELETE FROM report_population_state;
