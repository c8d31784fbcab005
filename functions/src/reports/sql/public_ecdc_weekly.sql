-- Doses given per ISO week by voivodeship, age band and product, counted as ECDC's vaccine tracker counts them (first, second, additional, unknown), with the country and all ages as rows of their own; a count under 10 is withheld.
-- suppressed below: 10
-- year_week: the ISO week of the doses, as YYYY-Www (2021-W09)
-- voivodeship: the voivodeship of the centres that gave them (TERYT code); all for the whole country (null: centres with no voivodeship recorded)
-- age_band: the people's age band at their dose (0-17, 18-24, 25-49, 50-59, 60-69, 70-79, 80+, unknown); all for every age
-- vaccine_id: the product
-- first_dose: first doses (a one-dose product's only dose among them); null when fewer than 10
-- second_dose: second doses of a product whose primary course has two or more; null when fewer than 10
-- dose_additional_1: the first dose beyond the product's primary course (its dose number the course's doses + 1); null when fewer than 10
-- dose_additional_2: the second dose beyond the primary course (the course's doses + 2); null when fewer than 10
-- unknown_dose: doses of any other number, or of a product not in the catalogue; null when fewer than 10
-- population: inhabitants of the place in the band (population table); null for unknown
WITH classified AS (
  SELECT
    FORMAT_DATE('%G-W%V', d.day) AS year_week,
    d.voivodeship,
    d.age_band,
    d.vaccine_id,
    d.doses,
    CASE
      WHEN d.dose = 1 THEN 'first'
      WHEN d.dose = 2 AND v.doses >= 2 THEN 'second'
      WHEN d.dose = v.doses + 1 THEN 'additional_1'
      WHEN d.dose = v.doses + 2 THEN 'additional_2'
      ELSE 'unknown'
    END AS kind
  FROM `ereg.doses_daily` AS d
  LEFT JOIN `ereg.vaccines` AS v ON v.vaccine_id = d.vaccine_id
),
places AS (
  SELECT year_week, voivodeship, age_band, vaccine_id, kind, doses FROM classified
  UNION ALL
  SELECT year_week, voivodeship, 'all', vaccine_id, kind, doses FROM classified
  UNION ALL
  SELECT year_week, 'all', age_band, vaccine_id, kind, doses FROM classified
  UNION ALL
  SELECT year_week, 'all', 'all', vaccine_id, kind, doses FROM classified
),
counted AS (
  SELECT
    year_week,
    voivodeship,
    age_band,
    vaccine_id,
    SUM(IF(kind = 'first', doses, 0)) AS first_dose,
    SUM(IF(kind = 'second', doses, 0)) AS second_dose,
    SUM(IF(kind = 'additional_1', doses, 0)) AS dose_additional_1,
    SUM(IF(kind = 'additional_2', doses, 0)) AS dose_additional_2,
    SUM(IF(kind = 'unknown', doses, 0)) AS unknown_dose
  FROM places
  GROUP BY year_week, voivodeship, age_band, vaccine_id
),
inhabitants AS (
  SELECT voivodeship, age_band, people FROM `ereg.population`
  UNION ALL
  SELECT voivodeship, 'all', SUM(people) FROM `ereg.population` GROUP BY voivodeship
  UNION ALL
  SELECT 'all', age_band, SUM(people) FROM `ereg.population` GROUP BY age_band
  UNION ALL
  SELECT 'all', 'all', SUM(people) FROM `ereg.population`
)
SELECT
  c.year_week,
  c.voivodeship,
  c.age_band,
  c.vaccine_id,
  IF(c.first_dose < 10, NULL, c.first_dose) AS first_dose,
  IF(c.second_dose < 10, NULL, c.second_dose) AS second_dose,
  IF(c.dose_additional_1 < 10, NULL, c.dose_additional_1) AS dose_additional_1,
  IF(c.dose_additional_2 < 10, NULL, c.dose_additional_2) AS dose_additional_2,
  IF(c.unknown_dose < 10, NULL, c.unknown_dose) AS unknown_dose,
  p.people AS population
FROM counted AS c
LEFT JOIN inhabitants AS p ON p.voivodeship = c.voivodeship AND p.age_band = c.age_band
