-- Doses given per day in the whole country, with the running totals of doses, people with a first dose and people fully vaccinated (Our World in Data's vaccinations figures); a count under 10 is withheld.
-- suppressed below: 10
-- day: the local date the doses were given (only days with doses)
-- doses: doses given that day; null when fewer than 10
-- total_vaccinations: doses given up to and including the day; null when fewer than 10
-- people_vaccinated: people given a first dose up to and including the day; null when fewer than 10
-- people_fully_vaccinated: people given the last dose of their product's primary course (a one-dose product's only dose) up to and including the day; null when fewer than 10
WITH daily AS (
  SELECT
    day,
    SUM(doses) AS doses,
    SUM(IF(dose = 1, doses, 0)) AS first_doses,
    SUM(IF(completes_course = 1, doses, 0)) AS completing_doses
  FROM `ereg.doses_daily`
  GROUP BY day
),
running AS (
  SELECT
    day,
    doses,
    SUM(doses) OVER (ORDER BY day) AS total_vaccinations,
    SUM(first_doses) OVER (ORDER BY day) AS people_vaccinated,
    SUM(completing_doses) OVER (ORDER BY day) AS people_fully_vaccinated
  FROM daily
)
SELECT
  day,
  IF(doses < 10, NULL, doses) AS doses,
  IF(total_vaccinations < 10, NULL, total_vaccinations) AS total_vaccinations,
  IF(people_vaccinated < 10, NULL, people_vaccinated) AS people_vaccinated,
  IF(people_fully_vaccinated < 10, NULL, people_fully_vaccinated) AS people_fully_vaccinated
FROM running
