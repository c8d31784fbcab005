-- Each registered person once: their pseudonym, birth year and sex, for views that count by age.
-- subject_id: the person's pseudonym (the same in every event about them)
-- birth_year: the year the person was born (the warehouse never holds the birth date)
-- sex: female or male, as on the PESEL
-- registered_on: the country's date of the registration
-- refreshed by: events.subject_id
SELECT
  subject_id,
  MIN(CAST(JSON_VALUE(data, '$.birthYear') AS INT64)) AS birth_year,
  MIN(JSON_VALUE(data, '$.sex')) AS sex,
  MIN(occurred_on) AS registered_on
FROM `ereg.events`
WHERE occurred_at >= TIMESTAMP '2020-01-01'
  AND type IN ('patient.registered', 'patient.registered.v2')
GROUP BY subject_id
