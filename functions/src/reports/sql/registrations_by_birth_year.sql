-- People registered per day by birth year: summed over the days, the registered people of each birth year, which the preview of an eligibility change counts from.
-- refreshed by: events.occurred_on
-- day: the country's date of the registration
-- birth_year: the year the people were born
-- people: people registered that day (each person once: a registration is made once per person)
SELECT
  occurred_on AS day,
  CAST(JSON_VALUE(data, '$.birthYear') AS INT64) AS birth_year,
  COUNT(DISTINCT subject_id) AS people
FROM `ereg.events`
WHERE occurred_at >= TIMESTAMP '2020-01-01'
  AND type IN ('patient.registered', 'patient.registered.v2')
GROUP BY day, birth_year
