-- Doses given per day, by voivodeship, the person's age band, product and dose number.
-- refreshed by: events.visit_date
-- day: the centre's local date of the visit the dose was given at
-- voivodeship: the voivodeship of the centre that gave the doses (TERYT code, 2 digits)
-- age_band: the person's age band (0-17, 18-24, 25-49, 50-59, 60-69, 70-79, 80+) from the age they reach in the year of the dose; unknown when no birth year is recorded
-- vaccine_id: the product given
-- dose: the dose number given (the recorded number when it differs from the course's)
-- completes_course: 1 when the dose is the last of its product's primary course (the dose number equals the product's doses): the person is then fully vaccinated; else 0
-- doses: doses given
WITH given AS (
  SELECT
    e.visit_date AS day,
    e.centre_id,
    e.vaccine_id,
    COALESCE(CAST(JSON_VALUE(e.data, '$.doseGiven') AS INT64), e.dose) AS dose_number,
    EXTRACT(YEAR FROM e.visit_date) - p.birth_year AS age
  FROM `ereg.events` AS e
  LEFT JOIN `ereg.people` AS p ON p.subject_id = e.person_id
  WHERE e.occurred_at >= TIMESTAMP '2020-01-01'
    AND e.type = 'appointment.completed'
)
SELECT
  g.day,
  c.voivodeship,
  CASE
    WHEN g.age IS NULL THEN 'unknown'
    WHEN g.age < 18 THEN '0-17'
    WHEN g.age < 25 THEN '18-24'
    WHEN g.age < 50 THEN '25-49'
    WHEN g.age < 60 THEN '50-59'
    WHEN g.age < 70 THEN '60-69'
    WHEN g.age < 80 THEN '70-79'
    ELSE '80+'
  END AS age_band,
  g.vaccine_id,
  g.dose_number AS dose,
  IF(g.dose_number = v.doses, 1, 0) AS completes_course,
  COUNT(*) AS doses
FROM given AS g
LEFT JOIN `ereg.centres` AS c ON c.centre_id = g.centre_id
LEFT JOIN `ereg.vaccines` AS v ON v.vaccine_id = g.vaccine_id
GROUP BY g.day, c.voivodeship, age_band, g.vaccine_id, g.dose_number, completes_course
