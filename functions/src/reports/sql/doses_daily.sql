-- Doses given per day, by centre, the person's age band, product and dose number.
-- refreshed by: events.visit_date
-- day: the centre's local date of the visit the dose was given at
-- centre_id: the centre that gave the doses
-- voivodeship: the centre's voivodeship (TERYT code, 2 digits)
-- powiat: the centre's powiat (TERYT code, 4 digits; null when the centre has none recorded)
-- age_band: the person's age band (0-17, 18-24, 25-49, 50-59, 60-69, 70-79, 80+) from the age they reach in the year of the dose; unknown when no birth year is recorded
-- vaccine_id: the product given
-- dose: the dose number given (the recorded number when it differs from the course's)
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
  g.centre_id,
  c.voivodeship,
  c.powiat,
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
  COUNT(*) AS doses
FROM given AS g
LEFT JOIN `ereg.centres` AS c ON c.centre_id = g.centre_id
GROUP BY g.day, g.centre_id, c.voivodeship, c.powiat, age_band, g.vaccine_id, g.dose_number
